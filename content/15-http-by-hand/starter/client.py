import socket

HOST = "127.0.0.1"
PORT = 8080  # the web server, behind a proxy that hands its bytes over 5 at a time
PATHS = ["/first", "/second"]  # ask for both on ONE connection; /second comes chunked


def get(sock, path):
    """Send one GET request and read its response; return (status line, body bytes)."""
    # TODO 1: this request is not yet valid HTTP/1.1. Which line endings does HTTP use,
    #         and which header does HTTP/1.1 require?
    request = f"GET {path} HTTP/1.1\n\n"
    sock.sendall(request.encode("ascii"))

    # TODO 2: receive until the head's empty line (b"\r\n\r\n"), split the status line and
    #         the headers from the body bytes that came with them, find Content-Length, and
    #         receive until you have exactly that many body bytes. Do not wait for b"": the
    #         server keeps the connection open for your next request.
    # TODO 3: /second has no Content-Length but "Transfer-Encoding: chunked": decode its
    #         chunks (a size in hex on a line, that many bytes, "\r\n"; size 0 ends it).
    data = sock.recv(1024)
    return data.decode("utf-8", errors="replace"), b""


with socket.create_connection((HOST, PORT)) as sock:
    for path in PATHS:
        status_line, body = get(sock, path)
        print(f"{path}: {status_line}")
        print(body.decode("utf-8"))
