# Attacks: other runs. The test starts this program twice at once. The "listen" run listens on
# 127.0.0.1:9000 and on the abstract UNIX socket "\0handshake-cross-run" and reports any contact
# until its stdin closes; the "attack" run tries to reach both and to signal any process outside its
# own.
# Expected: each run has its own loopback and abstract socket namespace (both belong to the network
# namespace) and its own pid namespace: connection refused, kill(-1) finds no one (ESRCH), and the
# listener is never contacted.
import errno
import os
import select
import signal
import socket
import sys

role = sys.stdin.readline().strip()
if role == "listen":
    tcp = socket.create_server(("127.0.0.1", 9000))
    unix = socket.socket(socket.AF_UNIX)
    unix.bind("\0handshake-cross-run")
    unix.listen()
    print("listening", flush=True)
    contacted = False
    while True:
        ready, _, _ = select.select([tcp, unix, sys.stdin], [], [])
        if sys.stdin in ready and not sys.stdin.readline():
            break
        for server in (tcp, unix):
            if server in ready:
                server.accept()
                contacted = True
                print("CONTACTED", flush=True)
    print("contacted" if contacted else "never contacted", flush=True)
else:
    for label, family, address in (("tcp 127.0.0.1:9000", socket.AF_INET, ("127.0.0.1", 9000)), ("abstract unix", socket.AF_UNIX, "\0handshake-cross-run")):
        with socket.socket(family) as sock:
            try:
                sock.connect(address)
                print(f"{label}: CONNECTED")
            except OSError as error:
                print(f"{label}: {errno.errorcode[error.errno]}")
    try:
        os.kill(-1, signal.SIGKILL)
        print("kill -1: SENT")
    except OSError as error:
        print(f"kill -1: {errno.errorcode[error.errno]}")
    reached = []
    for pid in range(2, 32768):
        try:
            os.kill(pid, 0)
            reached.append(pid)
        except OSError:
            pass
    print("other pids signalable:", reached)
