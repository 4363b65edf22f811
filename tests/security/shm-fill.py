# Attacks: /dev/shm, a tmpfs that judges have left unbounded or shared between runs (isolate 2.6
# NEWS; piston file_persistance.py). Fills it with 1 MiB files (each under the file-size limit).
# Expected: the run's private /dev/shm stops at its size (half of /tmp's: ENOSPC at 8 MiB).
import errno

written = 0
try:
    while written < 64:
        with open(f"/dev/shm/fill{written}", "wb") as handle:
            handle.write(b"\1" * 1024 * 1024)
        written += 1
    print(f"shm: {written} MiB, NOT STOPPED")
except OSError as error:
    print(f"shm full at {written} MiB ({errno.errorcode[error.errno]})")
