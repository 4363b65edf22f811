import socket

HOST = "127.0.0.1"
PORT = 8000  # the test client reaches it through a proxy that cuts its bytes into 5-byte pieces


def handle(conn):
    """Read one request and answer it with its method, path and body."""
    # TODO 3: receive the head up to b"\r\n\r\n", take the method and the path from the
    #         request line, then receive Content-Length bytes of body (0 when there is none).
    request = conn.recv(1024)
    print(request)

    # TODO 4: the body must be f"{method} {path}\n" followed by the request's body bytes,
    #         and Content-Length must count its bytes. This answer has no Content-Length at
    #         all: the client knows the body is over only when the connection closes.
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello")


with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, addr = server.accept()
        with conn:  # one request per connection
            handle(conn)
