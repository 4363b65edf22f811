# Attacks: the kernel surface that judges have been broken through: nested namespaces, mount,
# ptrace, keyrings (a cross-sandbox channel), bpf, io_uring, SysV shared memory (nsjail-shm-dos),
# terminal injection (TIOCSTI), and socket families beyond unix/inet/inet6 (netlink, packet, vsock).
# Expected: every one fails with the errno the seccomp policy names, while the ordinary things
# (threads, multiprocessing, getaddrinfo) keep working.
import ctypes
import errno
import multiprocessing
import os
import socket

libc = ctypes.CDLL(None, use_errno=True)
SYSCALLS = {
    "unshare": (272, 0x10000000), "setns": (308, 0, 0), "mount": (165, 0, 0, 0, 0, 0),
    "ptrace": (101, 16, 1), "keyctl": (250, 0), "add_key": (248, 0, 0, 0, 0, 0), "bpf": (321, 0, 0, 0),
    "io_uring_setup": (425, 1, 0), "clone3": (435, 0, 0), "shmget": (29, 0, 4096, 0o1000),
    "perf_event_open": (298, 0, 0, -1, -1, 0), "userfaultfd": (323, 0),
    "clone_newuser": (56, 0x10000000 | 17, 0, 0, 0, 0), "ioctl_tiocsti": (16, 0, 0x5412, 0),
}
for name, (number, *args) in SYSCALLS.items():
    result = libc.syscall(number, *[ctypes.c_long(arg) for arg in args])
    print(f"{name}: {'ALLOWED' if result >= 0 else errno.errorcode[ctypes.get_errno()]}")
for family in ("AF_NETLINK", "AF_PACKET", "AF_VSOCK", "AF_BLUETOOTH", "AF_ALG"):
    try:
        socket.socket(getattr(socket, family), socket.SOCK_RAW if family != "AF_ALG" else socket.SOCK_SEQPACKET)
        print(f"{family}: ALLOWED")
    except OSError as error:
        print(f"{family}: {errno.errorcode[error.errno]}")
with multiprocessing.Pool(2) as pool:
    print("pool:", pool.map(abs, [-1, -2]))
print("localhost:", socket.getaddrinfo("localhost", 8080, socket.AF_INET)[0][4])
