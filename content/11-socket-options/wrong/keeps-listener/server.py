# Serves both connections from one listening socket, never exiting in between: restart.py
# finds the port still listened on, and the restart never happens.
import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 8080))
    server.listen()
    for _ in range(2):
        conn, addr = server.accept()
        with conn:
            line = b""
            while not line.endswith(b"\n"):
                chunk = conn.recv(1024)
                if not chunk:
                    break
                line += chunk
            conn.sendall(line)
