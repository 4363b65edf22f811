# Attacks: the file-size limit. One child writes a file without end with SIGXFSZ at its default
# action, the parent with Python's default (SIGXFSZ ignored).
# Expected: the child is killed by SIGXFSZ and the parent's write fails with EFBIG, both exactly
# at RLIMIT_FSIZE (8 MiB by default); the run itself completes.
import errno
import os
import signal

def fill(path):
    written = 0
    with open(path, "wb", buffering=0) as handle:
        while True:
            handle.write(b"\0" * 65536)
            written += 65536

pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    fill("/tmp/child")
_, status = os.waitpid(pid, 0)
print("child killed by", signal.Signals(os.WTERMSIG(status)).name if os.WIFSIGNALED(status) else "nothing")
print("child file:", os.path.getsize("/tmp/child"), "bytes")
os.remove("/tmp/child")
try:
    fill("/tmp/parent")
except OSError as error:
    print(f"parent: {errno.errorcode[error.errno]} at {os.path.getsize('/tmp/parent')} bytes")
