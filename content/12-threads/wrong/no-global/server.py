import socket
import threading

HOST, PORT = "127.0.0.1", 8080

# Shared by every connection's thread: read and written only while holding the lock.
lock = threading.Lock()
served = 0  # connections served so far
echoed = 0  # bytes echoed so far, over all connections


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
    """Serve one client from start to end, in its own thread."""
    with conn:  # closed on every path, so the client sees our FIN
        try:
            count = echo(conn)
        except ConnectionError as error:
            print(f"{addr[0]}:{addr[1]} went away: {type(error).__name__}")
            return
    with lock:  # one thread at a time: each += reads, adds and writes back
        served += 1
        echoed += count
        print(f"served {served} connections, {echoed} bytes")


with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(64)  # the crowd connects all at once: let them queue
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, addr = server.accept()
        # daemon: these threads do not keep the program alive once the main thread ends
        threading.Thread(target=handle, args=(conn, addr), daemon=True).start()
