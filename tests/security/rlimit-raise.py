# Attacks: the limits themselves. Tries to raise every hard rlimit back to unlimited, to get a
# better CPU priority or a real-time scheduler, and to lock memory.
# Expected: every attempt is refused (no capabilities); the limits stay what the run set.
import ctypes
import os
import resource

for name in ("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_NPROC", "RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE"):
    which = getattr(resource, name)
    soft, hard = resource.getrlimit(which)
    try:
        resource.setrlimit(which, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        print(f"{name}: RAISED")
    except (ValueError, OSError) as error:
        print(f"{name}: refused ({type(error).__name__}), hard {hard}")
for label, call in (
    ("nice -20", lambda: os.setpriority(os.PRIO_PROCESS, 0, -20)),
    ("SCHED_FIFO", lambda: os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(50))),
):
    try:
        call()
        print(f"{label}: GRANTED")
    except OSError as error:
        print(f"{label}: refused ({error.errno})")
libc = ctypes.CDLL(None, use_errno=True)
buffer = ctypes.create_string_buffer(1 << 20)
print("mlock:", "GRANTED" if libc.mlock(buffer, len(buffer)) == 0 else f"refused ({ctypes.get_errno()})")
print("mlockall:", "GRANTED" if libc.mlockall(3) == 0 else f"refused ({ctypes.get_errno()})")
