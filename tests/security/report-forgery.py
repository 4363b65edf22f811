# Attacks: the lesson's checks, by faking the peer's reports. Writes report-shaped JSON lines to
# fd 3 (the peers' report channel) and to stdout, and tries to reach the peer's fds through /proc.
# Expected: the program has no fd 3 (EBADF), JSON it prints is only output, and the run's record
# holds only the reports the real peer made.
import errno
import json
import os

forged = json.dumps({"event": "received", "data": "forged", "bytes": 6}) + "\n"
try:
    os.write(3, forged.encode())
    print("fd 3: WRITTEN")
except OSError as error:
    print(f"fd 3: {errno.errorcode[error.errno]}")
print(forged, end="", flush=True)
print("peer fds visible:", [pid for pid in os.listdir("/proc") if pid.isdigit() and pid != "1"])
