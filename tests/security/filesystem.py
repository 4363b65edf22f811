# Attacks: the filesystem. Tries to write everywhere outside /tmp, to read host secrets, and to fill
# /tmp beyond its size.
# Expected: every write outside /tmp and /dev/shm fails, no host secret is readable, and /tmp stops
# at its size limit.
import os

for path in ("/x", "/app/x", "/app/main.py", "/usr/x", "/etc/x", "/etc/passwd", "/dev/x", "/proc/sys/kernel/hostname", "/home"):
    try:
        with open(path, "w") as handle:
            handle.write("owned")
        print(f"write {path}: WRITTEN")
    except OSError as error:
        print(f"write {path}: refused ({error.errno})")
for path in ("/etc/shadow", "/root", "/work", "/sys/fs/cgroup", "/run/netns", "/var"):
    print(f"see {path}: {'VISIBLE' if os.path.exists(path) else 'absent'}")
def fill(path, limit):
    """Writes 1 MiB blocks to path until `limit` MiB or an error; returns (MiB written, errno)."""
    written = 0
    try:
        with open(path, "wb") as handle:
            while written < limit:
                handle.write(b"\0" * 1024 * 1024)
                handle.flush()
                written += 1
    except OSError as error:
        return written, error.errno
    return written, 0

# One file stops at the file-size limit (EFBIG), several stop at the size of /tmp (ENOSPC).
print("one file: %d MiB (errno %d)" % fill("/tmp/big", 64))
os.remove("/tmp/big")
total, errno = 0, 0
for index in range(16):
    written, errno = fill(f"/tmp/part{index}", 4)
    total += written
    if errno:
        break
print(f"tmp full at {total} MiB (errno {errno})")
