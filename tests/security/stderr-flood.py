# Attacks: the output limit through stderr, in case only stdout is metered (piston's event_bus
# mode metered neither). Writes tracebacks-sized lines to stderr as fast as it can.
# Expected: stderr counts against the same budget; reason output-limit, no more than the limit kept.
import sys

line = "Traceback (most recent call last): flood " * 4 + "\n"
while True:
    sys.stderr.write(line)
