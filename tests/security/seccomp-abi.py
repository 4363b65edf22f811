# Attacks: the seccomp filter's blind spot, other system-call ABIs: an x32 call (number | 0x40000000)
# and a 32-bit `int 0x80` call, whose numbers a filter written for x86_64 would not recognise
# (unshare is 272 on x86_64 but 310 on i386). Each is made in a child process.
# Expected: the filter kills any call from a foreign ABI (SECCOMP_RET_KILL_PROCESS): both
# children die of SIGSYS before the call runs.
import ctypes
import mmap
import os
import signal

def in_child(label, attack):
    pid = os.fork()
    if pid == 0:
        attack()
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    outcome = signal.Signals(os.WTERMSIG(status)).name if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
    print(f"{label}: {outcome}", flush=True)

def x32():
    libc = ctypes.CDLL(None)
    libc.syscall(ctypes.c_long(0x40000000 | 272), ctypes.c_long(0x10000000))

def int80():
    # mov eax, 310 (i386 unshare); mov ebx, CLONE_NEWUSER; int 0x80; ret
    code = bytes.fromhex("b836010000" "bb00000010" "cd80" "c3")
    page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    page.write(code)
    address = ctypes.addressof(ctypes.c_char.from_buffer(page))
    ctypes.CFUNCTYPE(ctypes.c_int)(address)()

in_child("x32 unshare", x32)
in_child("int 0x80 unshare", int80)
