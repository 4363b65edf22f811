# Attacks: privileges and kernel surface. Looks for root, capabilities, inherited fds, a leaked
# environment, and tries the calls that open new attack surface (nested namespaces, mount).
# Expected: an unprivileged uid with no capabilities, no_new_privs, only fds 0-2, a clean
# environment, and every namespace or mount attempt refused.
import ctypes
import os

status = dict(line.split(":\t", 1) for line in open("/proc/self/status").read().splitlines() if ":\t" in line)
print("uid", os.getuid(), os.geteuid(), "gid", os.getgid())
print("CapEff", status["CapEff"].strip(), "CapPrm", status["CapPrm"].strip(), "CapBnd", status["CapBnd"].strip())
print("NoNewPrivs", status["NoNewPrivs"].strip())
print("uid_map", " ".join(open("/proc/self/uid_map").read().split()))
# listdir's own directory fd is the one above 2 that is expected.
print("fds", sorted(int(fd) for fd in os.listdir("/proc/self/fd")))
print("env", sorted(os.environ))
libc = ctypes.CDLL(None, use_errno=True)
for name, flag in (("user", 0x10000000), ("net", 0x40000000), ("mount", 0x00020000)):
    result = libc.unshare(flag)
    print(f"unshare {name}:", "ALLOWED" if result == 0 else f"refused ({ctypes.get_errno()})")
result = libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)
print("mount:", "ALLOWED" if result == 0 else f"refused ({ctypes.get_errno()})")
# Stay alive until stdin closes, so the test can look at this process from the host as well.
print("waiting", flush=True)
import sys
sys.stdin.read()
