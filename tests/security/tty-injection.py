# Attacks: terminal injection (bubblewrap CVE-2017-5226: TIOCSTI pushed keystrokes into the terminal
# of the process that started the sandbox; TIOCLINUX, CVE-2023-28100; the ioctl number with high
# bits set to dodge a 32-bit comparison, CVE-2019-10063). Tries them on stdin, stdout, stderr and
# /dev/tty.
# Expected: there is no terminal at all (stdio are pipes; --new-session left no controlling tty:
# /dev/tty is ENXIO), and the filter refuses the ioctls outright (EPERM).
import ctypes
import errno
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
print("stdio are ttys:", [os.isatty(fd) for fd in (0, 1, 2)])
try:
    os.open("/dev/tty", os.O_RDWR)
    print("/dev/tty: OPENED")
except OSError as error:
    print(f"/dev/tty: {errno.errorcode[error.errno]}")
char = ctypes.c_char(b"x")
for label, request in (("TIOCSTI", 0x5412), ("TIOCSTI high bits", 0x1_0000_5412), ("TIOCLINUX", 0x541C)):
    for fd in (0, 1, 2):
        result = libc.syscall(ctypes.c_long(16), ctypes.c_long(fd), ctypes.c_ulong(request), ctypes.byref(char))
        print(f"{label} on fd {fd}: {'INJECTED' if result >= 0 else errno.errorcode[ctypes.get_errno()]}")
