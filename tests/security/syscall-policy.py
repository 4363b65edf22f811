# Attacks: every system call the seccomp policy (sandbox-server/jail/seccomp/policy.json) denies:
# namespaces, mount and the new mount API, ptrace and cross-process memory, keyrings, bpf, io_uring,
# SysV IPC, perf, userfaultfd, modules, kexec, reboot, clocks, quotas, personality... Each is called
# directly by number with harmless arguments.
# Expected: each fails with exactly the errno the policy names for it (EPERM or ENOSYS), whatever
# the kernel would have said.
import ctypes
import errno
import platform

# x86_64 numbers (the CI machine's architecture); the test compares names with the policy.
NUMBERS = {
    "syslog": 103, "uselib": 134, "acct": 163, "quotactl": 179, "quotactl_fd": 443, "vhangup": 153,
    "lookup_dcookie": 212, "add_key": 248, "keyctl": 250, "request_key": 249, "mbind": 237,
    "migrate_pages": 256, "move_pages": 279, "set_mempolicy": 238, "unshare": 272, "setns": 308,
    "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161, "ptrace": 101,
    "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312, "pidfd_getfd": 438, "bpf": 321,
    "userfaultfd": 323, "perf_event_open": 298, "personality": 135, "shmget": 29, "shmat": 30,
    "shmctl": 31, "shmdt": 67, "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71, "semget": 64,
    "semop": 65, "semctl": 66, "semtimedop": 220, "fanotify_init": 300, "name_to_handle_at": 303,
    "open_by_handle_at": 304, "init_module": 175, "finit_module": 313, "delete_module": 176,
    "kexec_load": 246, "kexec_file_load": 320, "reboot": 169, "swapon": 167, "swapoff": 168,
    "settimeofday": 164, "clock_settime": 227, "clock_adjtime": 305, "adjtimex": 159, "iopl": 172,
    "ioperm": 173, "clone3": 435, "io_uring_setup": 425, "io_uring_enter": 426,
    "io_uring_register": 427, "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431,
    "fsmount": 432, "fspick": 433, "mount_setattr": 442,
}
if platform.machine() != "x86_64":
    raise SystemExit(f"syscall numbers are for x86_64, not {platform.machine()}")
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
for name, number in NUMBERS.items():
    # All-zero arguments: NULL pointers and flags 0, so a call the filter let through does nothing.
    ctypes.set_errno(0)
    result = libc.syscall(ctypes.c_long(number), *[ctypes.c_long(0)] * 6)
    print(f"{name}: {'ALLOWED' if result >= 0 else errno.errorcode.get(ctypes.get_errno(), ctypes.get_errno())}")
