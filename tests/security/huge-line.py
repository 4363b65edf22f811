# Attacks: the output path with one endless line and no newline, so a line-based reader would
# buffer it whole (server memory) and the browser would get one giant frame.
# Expected: output-limit; the text arrives in bounded events (each at most 64 Ki characters) and no
# more than the limit is kept.
import sys

chunk = "x" * 65536
while True:
    sys.stdout.write(chunk)
    sys.stdout.flush()
