# Attacks: isolation between runs (piston file_persistance.py: files left in /tmp, /dev/shm,
# /var/tmp or /run/lock were seen by the next job). Looks for the marks a previous run of this
# same program left, then leaves new ones everywhere it can write.
# Expected: every run starts clean ("fresh"), however many ran before it with the same slot.
import os

MARKS = ["/tmp/.handshake-mark", "/dev/shm/.handshake-mark", "/var/tmp/.handshake-mark", "/run/lock/.handshake-mark", "/tmp/.cache/mark"]
found = [path for path in MARKS if os.path.exists(path)]
print("found marks:", found if found else "none, fresh")
left = []
for path in MARKS:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write("left by an earlier run")
        left.append(path)
    except OSError:
        pass
print("left marks in:", left)
