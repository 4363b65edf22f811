import socket

HOST = "127.0.0.1"
PORT = 8000  # the test client reaches it through a proxy that cuts its bytes into 5-byte pieces


def recv_head(conn):
    """Receive until the empty line that ends the head; return (head text, body bytes so far)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(1024)
        if not chunk:
            raise ConnectionError("the client closed before the end of its request head")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode("iso-8859-1"), rest


def handle(conn):
    """Read one request and answer it with its method, path and body."""
    head, body = recv_head(conn)
    request_line, *header_lines = head.split("\r\n")
    method, path, version = request_line.split(" ")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()

    length = int(headers.get("content-length", "0"))  # no Content-Length: no body
    while len(body) < length:
        chunk = conn.recv(1024)
        if not chunk:
            raise ConnectionError(f"the client closed after {len(body)} of {length} body bytes")
        body += chunk

    reply = f"{method} {path}\n".encode("utf-8") + body[:length]
    conn.sendall(
        b"HTTP/1.1 200 OK\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        + f"Content-Length: {len(reply)}\r\n".encode("ascii")  # bytes, not characters
        + b"Connection: close\r\n"
        b"\r\n"
        + reply
    )
    print(f"{method} {path} {version}: answered 200 with {len(reply)} bytes")


with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, addr = server.accept()
        with conn:  # one request per connection: "Connection: close" in the reply
            handle(conn)
