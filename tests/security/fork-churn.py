# Attacks: the kill at the end of the run. Four processes each fork and reap children as fast as
# they can, never many at once (so the pids limit never fires), so that a kill that lists pids
# and then signals them always misses the newest (piston c7efa53: a fork bomb outran its janitor).
# Expected: the wall clock ends the run (time-limit) and the kill is prompt: the freezer (v1) or
# cgroup.kill (v2) stops every task at once, so nothing forked meanwhile survives.
import os

for _ in range(2):
    os.fork()
print("churning", flush=True)
while True:
    if os.fork() == 0:
        os._exit(0)
    os.wait()
