"""One client at a time: the next is accepted when the current one has gone."""
import socket

with socket.create_server(("127.0.0.1", 8080)) as server:
    while True:
        conn, _ = server.accept()
        with conn, conn.makefile("rb") as lines:
            first = lines.readline()
            nick = first[5:].decode().strip()
            try:
                for line in lines:
                    conn.sendall(f"{nick}: {line.decode().rstrip()}\n".encode())
            except ConnectionError:
                pass
