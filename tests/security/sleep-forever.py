# Attacks: the wall clock. Uses no CPU at all, so CPU limits never fire (isolate#72).
# Expected: the run ends at the time limit with reason time-limit.
import time

print("sleeping", flush=True)
while True:
    time.sleep(60)
