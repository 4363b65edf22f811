"""A thread per client; a broadcast sends to every other client in turn with sendall()."""
import socket
import threading

clients = {}
lock = threading.Lock()


def broadcast(text, sender=None):
    data = (text + "\n").encode()
    with lock:
        for conn in list(clients):
            if conn is not sender:
                try:
                    conn.sendall(data)  # waits while this client is not reading
                except OSError:
                    pass


def serve(conn):
    nick = None
    try:
        with conn, conn.makefile("rb") as lines:
            first = lines.readline()
            if not first.startswith(b"NICK "):
                return
            nick = first[5:].decode().strip()
            with lock:
                clients[conn] = nick
            broadcast(f"* {nick} joined", conn)
            for line in lines:
                broadcast(f"{nick}: {line.decode().rstrip()}", conn)
    except (ConnectionError, ValueError):
        pass
    finally:
        with lock:
            clients.pop(conn, None)
        if nick:
            broadcast(f"* {nick} left")


with socket.create_server(("127.0.0.1", 8080)) as server:
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()
