# Attacks: the process limit. Forks without end, so that the host runs out of pids.
# Expected: the pids cgroup refuses forks, the run ends with reason process-limit, nothing remains.
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
