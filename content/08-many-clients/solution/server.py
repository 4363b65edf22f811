import socket

HOST, PORT = "127.0.0.1", 8080


def receive_request(conn):
    """Read until the client shuts down its sending side: recv() returns b''."""
    request = b""
    while True:
        part = conn.recv(1024)
        if not part:
            return request
        request += part


def handle(conn):
    request = receive_request(conn)
    conn.sendall(request)  # the answer: the request echoed back


with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(5)  # up to 5 connections may wait here while one is being served
    print(f"listening on {HOST}:{PORT}")
    served = 0
    while True:
        conn, addr = server.accept()
        with conn:  # closed on every path: success, or a client that vanished
            try:
                handle(conn)
                served += 1
                print(f"served {addr[0]}:{addr[1]} ({served} so far)")
            except ConnectionError as error:
                print(f"{addr[0]}:{addr[1]} went away: {type(error).__name__}")
