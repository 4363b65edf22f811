# Attacks: the memory limit, where it is counted per process (RLIMIT_AS). Workers each take
# 48 MiB, far below any per-process limit, one after the other, and hold it.
# Expected: the limit is on the whole run (one memory cgroup): after five workers (240 MiB) the
# next one pushes the run past 256 MiB and it is OOM-killed; reason memory-limit.
import os
import time

for index in range(16):
    ready, tell = os.pipe()
    if os.fork() == 0:
        hold = bytearray(48 * 1024 * 1024)
        for offset in range(0, len(hold), 4096):
            hold[offset] = 1
        print(f"worker {index} holds 48 MiB", flush=True)
        os.write(tell, b".")
        time.sleep(3600)
    os.read(ready, 1)
print("all workers hold their memory: NOT LIMITED", flush=True)
