# Attacks: the process limit through threads, which the kernel counts as tasks but a per-process
# limit would not see. Starts threads that sleep forever until starting one fails.
# Expected: the pids cgroup (which counts threads) refuses them; reason process-limit.
import threading
import time

started = 0
while True:
    try:
        threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
        started += 1
    except RuntimeError:
        print(f"refused after {started} threads", flush=True)
        time.sleep(3600)
