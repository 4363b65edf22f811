# Attacks: the CPU limit, where it is counted per process (RLIMIT_CPU). Each worker spins for
# 0.3 s of CPU, forks a fresh successor (whose own CPU clock starts at zero) and exits, so no
# single process ever gets near a per-process limit; the main program reaps the orphans.
# Expected: the CPU time of the whole run (the cgroup's total) reaches the budget: cpu-limit.
import os
import time

def relay():
    while True:
        end = time.process_time() + 0.3
        while time.process_time() < end:
            pass
        if os.fork() != 0:
            os._exit(0)

if os.fork() == 0:
    relay()
print("relay started", flush=True)
while True:
    os.wait()
