import selectors
import socket

HOST, PORT = "127.0.0.1", 8080

sel = selectors.DefaultSelector()


def accept(server):
    conn, addr = server.accept()
    conn.setblocking(False)
    sel.register(conn, selectors.EVENT_READ)


def service(conn):
    data = conn.recv(65536)
    if not data:
        sel.unregister(conn)
        conn.close()
        return
    try:
        conn.send(data)  # the mistake: send() may take only part of data, and the rest is lost
    except BlockingIOError:
        pass  # the buffer is full: this piece is lost as well


with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(64)
    server.setblocking(False)
    sel.register(server, selectors.EVENT_READ)
    print(f"listening on {HOST}:{PORT}")
    while True:
        for key, mask in sel.select():
            if key.fileobj is server:
                accept(server)
            else:
                service(key.fileobj)
