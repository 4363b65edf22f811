# Attacks: the trusted peer (the echo server the lesson runs next to this program): `kill -9 -1`,
# then every pid the program can name, then any node process found by scanning /proc.
# Expected: the peer lives in another pid namespace under another uid: kill(-1) finds no one,
# /proc shows only the program itself, and the peer still answers afterwards.
import errno
import os
import signal
import socket

try:
    os.kill(-1, signal.SIGKILL)
    print("kill -9 -1: SENT")
except OSError as error:
    print(f"kill -9 -1: {errno.errorcode[error.errno]}")
killed = []
for pid in range(2, 32768):
    try:
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)
    except OSError:
        pass
print("pids killed:", killed)
nodes = [pid for pid in os.listdir("/proc") if pid.isdigit() and b"node" in open(f"/proc/{pid}/cmdline", "rb").read()]
print("node processes visible:", nodes)
with socket.create_connection(("127.0.0.1", 8080), timeout=5) as sock:
    sock.sendall(b"still there?")
    print("peer answers:", sock.recv(100).decode())
