# A TCP server with the socket options of one of the tutorials, set where it sets them.
# It echoes one line to one client and closes first; restart.py then runs this file again.
# Run it: why does the restarted server fail, and what does SO_BROADCAST do on TCP?
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 8080))
s.listen()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)

conn, addr = s.accept()
line = b""
while not line.endswith(b"\n"):
    chunk = conn.recv(1024)
    if not chunk:
        break
    line += chunk
conn.sendall(line)
conn.close()  # we close first: our side of this connection now waits in TIME_WAIT
s.close()
print("served", addr, "and closed first")
