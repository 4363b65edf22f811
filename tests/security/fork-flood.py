# Attacks: the output limit from many writers at once: 16 processes flood stdout and stderr
# together, so that per-process metering or a race between pipes lets more through.
# Expected: one budget for the whole run; reason output-limit, no more than the limit kept in
# total, and every writer is killed with the run.
import os
import sys

for index in range(16):
    if os.fork() == 0:
        break
line = f"writer {os.getpid()} " * 8 + "\n"
while True:
    sys.stdout.write(line)
    sys.stderr.write(line)
