import selectors
import socket

HOST, PORT = "127.0.0.1", 8080

sel = selectors.DefaultSelector()


class Client:
    """What the loop remembers about one connection between two events."""

    def __init__(self, conn, addr):
        self.conn = conn
        self.addr = addr
        self.out = bytearray()  # received, not yet sent back
        self.done = False  # the client shut down its side: close once `out` is empty


def accept(server):
    """The listening socket is readable: a connection is waiting, so accept() returns at once."""
    conn, addr = server.accept()
    conn.setblocking(False)  # recv/send must never wait: the loop has other clients
    sel.register(conn, selectors.EVENT_READ, Client(conn, addr))


def close(client):
    """Forget the connection and close it (the client sees our FIN)."""
    sel.unregister(client.conn)
    client.conn.close()


def read(client):
    """The connection is readable: recv() returns data, or b'' when the client is done."""
    data = client.conn.recv(65536)
    if data:
        client.out += data
    else:
        client.done = True


def write(client):
    """Send what the kernel takes now; keep the rest for the next EVENT_WRITE."""
    try:
        sent = client.conn.send(client.out)  # may be less than len(out)
    except BlockingIOError:
        sent = 0  # the send buffer is full: try again when select says writable
    del client.out[:sent]


def service(client, mask):
    """Do what the events allow, then tell the selector what to wait for next."""
    try:
        if mask & selectors.EVENT_READ:
            read(client)
        if client.out:
            write(client)
    except ConnectionError as error:
        print(f"{client.addr[0]}:{client.addr[1]} went away: {type(error).__name__}")
        close(client)
        return
    if client.done and not client.out:
        sel.unregister(client.conn)  # forgotten, but never closed
        return
    events = 0 if client.done else selectors.EVENT_READ
    if client.out:
        events |= selectors.EVENT_WRITE  # wake up when the kernel has room again
    sel.modify(client.conn, events, client)


with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(64)
    server.setblocking(False)
    sel.register(server, selectors.EVENT_READ, None)
    print(f"listening on {HOST}:{PORT}")
    while True:
        for key, mask in sel.select():  # wait until some socket is ready
            if key.data is None:
                accept(key.fileobj)
            else:
                service(key.data, mask)
