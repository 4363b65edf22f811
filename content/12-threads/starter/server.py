# A sequential echo server (lesson 8): it serves one client at a time.
# Run it as it is first: the crowd's first client sends 3 bytes and then nothing,
# and every other client waits behind it.
#   TODO 1: serve each connection in its own thread: threading.Thread(target=handle, ...)
#   TODO 2: count the connections served and the bytes echoed, over all threads,
#           under a threading.Lock, and print both after each connection.
import socket

HOST, PORT = "127.0.0.1", 8080


def echo(conn):
    """Send back every byte until the client closes its side; return how many bytes that was."""
    count = 0
    while True:
        data = conn.recv(4096)
        if not data:  # b"": the client is done
            return count
        conn.sendall(data)
        count += len(data)


def handle(conn, addr):
    """Serve one client from start to end."""
    with conn:  # closed on every path, so the client sees our FIN
        try:
            count = echo(conn)
        except ConnectionError as error:
            print(f"{addr[0]}:{addr[1]} went away: {type(error).__name__}")
            return
    # TODO 2: add 1 to the connections served and `count` to the bytes echoed, then print both
    print(f"{addr[0]}:{addr[1]}: echoed {count} bytes")


with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(64)  # the crowd connects all at once: let them queue
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, addr = server.accept()
        handle(conn, addr)  # TODO 1: while this runs, nobody else is served
