"""selectors and a buffer per client, right in every way but one: nothing catches a reset."""
import selectors
import socket

sel = selectors.DefaultSelector()
server = socket.create_server(("127.0.0.1", 8080))
server.setblocking(False)
sel.register(server, selectors.EVENT_READ)
nicks, inbox, outbox = {}, {}, {}


def watch(conn):
    events = selectors.EVENT_READ | (selectors.EVENT_WRITE if outbox[conn] else 0)
    sel.modify(conn, events)


def broadcast(text, sender=None):
    for conn in nicks:
        if conn is not sender:
            outbox[conn] += (text + "\n").encode()
            watch(conn)


def drop(conn):
    nick = nicks.pop(conn, None)
    sel.unregister(conn)
    del inbox[conn], outbox[conn]
    conn.close()
    if nick:
        broadcast(f"* {nick} left")


def readable(conn):
    data = conn.recv(65536)  # a reset raises ConnectionResetError here, and nothing catches it
    if not data:
        return drop(conn)
    inbox[conn] += data
    while b"\n" in inbox[conn]:
        line, _, inbox[conn] = inbox[conn].partition(b"\n")
        text = line.decode().rstrip("\r")
        if conn not in nicks:
            nicks[conn] = text.removeprefix("NICK ").strip()
            broadcast(f"* {nicks[conn]} joined", conn)
        else:
            broadcast(f"{nicks[conn]}: {text}", conn)


def writable(conn):
    sent = conn.send(outbox[conn])
    del outbox[conn][:sent]
    watch(conn)


while True:
    for key, events in sel.select():
        if key.fileobj is server:
            conn, _ = server.accept()
            conn.setblocking(False)
            inbox[conn], outbox[conn] = b"", bytearray()
            sel.register(conn, selectors.EVENT_READ)
            continue
        conn = key.fileobj
        if conn not in inbox:
            continue
        if events & selectors.EVENT_WRITE:
            writable(conn)
        if events & selectors.EVENT_READ and conn in inbox:
            readable(conn)
