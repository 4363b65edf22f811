# Attacks: kernel objects that outlive a run (ndrewh/nsjail-shm-dos: SysV shared memory made per
# run stayed allocated after it, until the host ran out of memory) and that cross sandboxes:
# SysV shm, message queues, semaphores, POSIX message queues.
# Expected: none can be created (seccomp: EPERM; RLIMIT_MSGQUEUE 0 for POSIX queues), so none can
# outlive the run; the test also checks the host's /proc/sysvipc afterwards.
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
IPC_CREAT = 0o1000
for name, call in (
    ("shmget 64 MiB", lambda: libc.shmget(0, 64 << 20, IPC_CREAT | 0o600)),
    ("msgget", lambda: libc.msgget(0, IPC_CREAT | 0o600)),
    ("semget", lambda: libc.semget(0, 1, IPC_CREAT | 0o600)),
):
    result = call()
    print(f"{name}: {'CREATED' if result >= 0 else errno.errorcode[ctypes.get_errno()]}")
librt = ctypes.CDLL("librt.so.1", use_errno=True)
queue = librt.mq_open(b"/handshake", 0o100 | 0o2, 0o600, None)
print(f"mq_open: {'CREATED' if queue >= 0 else errno.errorcode[ctypes.get_errno()]}")
