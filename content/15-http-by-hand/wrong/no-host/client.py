import socket

HOST = "127.0.0.1"
PORT = 8080  # the web server, behind a proxy that hands its bytes over 5 at a time
PATHS = ["/first", "/second"]  # both asked for on ONE connection; /second comes chunked


def recv_until(sock, data, marker):
    """Receive until `data` holds `marker`; return everything received so far."""
    while marker not in data:
        chunk = sock.recv(1024)
        if not chunk:  # b"": the server closed in the middle of a response
            raise ConnectionError(f"closed before {marker!r} arrived")
        data += chunk
    return data


def recv_exactly(sock, data, size):
    """Receive until `data` holds at least `size` bytes; return it."""
    while len(data) < size:
        chunk = sock.recv(1024)
        if not chunk:
            raise ConnectionError(f"closed after {len(data)} of {size} body bytes")
        data += chunk
    return data


def read_chunked(sock, data):
    """Decode a chunked body whose first bytes are `data`; return the body bytes."""
    body = b""
    while True:
        # Each chunk: its size in hexadecimal on a line, then that many bytes, then CRLF.
        data = recv_until(sock, data, b"\r\n")
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)  # a size may carry ";extensions"
        if size == 0:  # the last chunk; the empty line after it ends the body
            recv_until(sock, data, b"\r\n")
            return body
        data = recv_exactly(sock, data, size + 2)
        body += data[:size]
        data = data[size + 2 :]


def get(sock, path):
    """Send one GET request and read its response; return (status line, body bytes)."""
    request = (
        f"GET {path} HTTP/1.1\r\n"  # the request line: method, target, version
        "Accept: text/plain\r\n"
        "\r\n"  # the empty line ends the head; a GET has no body
    )
    sock.sendall(request.encode("ascii"))

    # The head ends at the first empty line. What comes after it is body.
    data = recv_until(sock, b"", b"\r\n\r\n")
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("iso-8859-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()  # header names ignore case

    # The connection stays open after the response (keep-alive), so recv() will not
    # return b"" at its end: the headers say where the body ends.
    if headers.get("transfer-encoding", "").lower() == "chunked":
        return status_line, read_chunked(sock, body)
    length = int(headers["content-length"])
    body = recv_exactly(sock, body, length)
    return status_line, body[:length]


with socket.create_connection((HOST, PORT)) as sock:
    for path in PATHS:
        status_line, body = get(sock, path)
        print(f"{path}: {status_line}")
        print(body.decode("utf-8"))  # decode once the whole body is here
