# Attacks: the size of /tmp, by inodes rather than bytes. Creates empty files (which take no
# space of the tmpfs's size, but kernel memory each) until something stops it.
# Expected: the kernel memory of the inodes is charged to the run's memory cgroup, and the run
# ends at the memory limit (reason memory-limit) or the tmpfs runs out of inodes (ENOSPC).
import errno
import os

count = 0
try:
    while True:
        os.close(os.open(f"/tmp/{count:x}" + "x" * 200, os.O_CREAT | os.O_WRONLY, 0o600))
        count += 1
        if count % 50000 == 0:
            print(f"{count} files", flush=True)
except OSError as error:
    print(f"stopped after {count} files ({errno.errorcode[error.errno]})")
