# A TCP server that echoes one line to one client, closes first, and exits.
# restart.py runs this same file again at once, while the first connection is in TIME_WAIT.
import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    # Before bind(): let bind() take a port that a connection in TIME_WAIT still holds.
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 8080))
    server.listen()
    conn, addr = server.accept()
    with conn:
        line = b""
        while not line.endswith(b"\n"):
            chunk = conn.recv(1024)
            if not chunk:
                break
            line += chunk
        conn.sendall(line)
    # Leaving the with block closed the connection first: our side now waits in TIME_WAIT.
    print("served", addr, "and closed first")
