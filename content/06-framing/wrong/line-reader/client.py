import socket
import struct

HOST = "127.0.0.1"
PORT = 8080
COUNT = 5  # the server sends this many messages
HEADER = struct.Struct("!I")  # 4 bytes: an unsigned length in network byte order (big-endian)


def recv_exactly(sock, size):
    """Returns exactly size bytes: recv() may return fewer than asked, so loop."""
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:  # b"": the server closed before the message was complete
            raise ConnectionError(f"connection closed after {len(data)} of {size} bytes")
        data += chunk
    return data


pending = b""


def recv_message(sock):
    """Reads up to the next newline: the framing of the server lesson, not this one."""
    global pending
    while b"\n" not in pending:
        chunk = sock.recv(1024)
        if not chunk:
            raise ConnectionError("the server closed before a newline came")
        pending += chunk
    line, _, pending = pending.partition(b"\n")
    return line.decode("utf-8")


def send_message(sock, text):
    """Frames text as a length (in bytes, not characters) followed by its UTF-8 bytes."""
    payload = text.encode("utf-8")
    sock.sendall(HEADER.pack(len(payload)) + payload)


with socket.create_connection((HOST, PORT)) as sock:
    messages = [recv_message(sock) for _ in range(COUNT)]
    for message in messages:
        print(message)
    for message in messages:
        send_message(sock, message[::-1])  # each reply: the message reversed
    sock.shutdown(socket.SHUT_WR)  # no more messages from us
    while sock.recv(1024):  # wait for the server to close its side
        pass
