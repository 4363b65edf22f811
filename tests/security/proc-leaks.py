# Attacks: information the kernel's /proc gives away (bubblewrap#264 /proc/sched_debug, #631
# bwrap's argv in /proc/1/cmdline; mountinfo naming host paths). Reads what pid 1 is, which
# processes exist, the mount table, the cgroup path, the hostname and kernel tables.
# Expected: pid 1 is the program itself and nothing else of the host or of other runs is
# listed; the mount table names no host path of the application; the cgroup path is "/".
import os

pids = sorted(int(entry) for entry in os.listdir("/proc") if entry.isdigit())
print("pids:", pids)
print("pid 1:", open("/proc/1/cmdline", "rb").read().split(b"\0")[:-1])
mounts = [line.split(" ")[3:5] for line in open("/proc/self/mountinfo").read().splitlines()]
print("mount sources:", sorted({root for root, _ in mounts}))
print("mount points:", sorted({point for _, point in mounts}))
print("cgroup:", open("/proc/self/cgroup").read().split())
print("hostname:", os.uname().nodename)
for path in ("/proc/sched_debug", "/proc/timer_list", "/proc/self/stack", "/proc/1/mem", "/proc/kcore"):
    try:
        open(path, "rb").read(1)
        print(f"{path}: READABLE")
    except OSError as error:
        print(f"{path}: {type(error).__name__}")
print("keys:", open("/proc/keys").read().splitlines())
for kind in ("shm", "msg", "sem"):
    print(f"sysv {kind}:", len(open(f"/proc/sysvipc/{kind}").read().splitlines()) - 1, "objects")
addresses = {line.split()[0] for line in open("/proc/kallsyms")}
print("kernel addresses:", "hidden" if addresses == {"0000000000000000"} else "VISIBLE")
