# Attacks: CPU time. Spins in several threads and processes so that no single one looks busy.
# Expected: the run's total CPU (cgroup cpuacct) reaches the limit; reason cpu-limit.
import os
import threading

def spin():
    while True:
        pass

for _ in range(2):
    if os.fork() == 0:
        break
for _ in range(2):
    threading.Thread(target=spin, daemon=True).start()
spin()
