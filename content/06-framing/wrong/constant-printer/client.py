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


def recv_message(sock):
    """Reads one length-prefixed message and decodes it once it is whole."""
    (length,) = HEADER.unpack(recv_exactly(sock, HEADER.size))
    return recv_exactly(sock, length).decode("utf-8")


def send_message(sock, text):
    """Frames text as a length (in bytes, not characters) followed by its UTF-8 bytes."""
    payload = text.encode("utf-8")
    sock.sendall(HEADER.pack(len(payload)) + payload)


MESSAGES = ["你好", "hello, world", "你好，世界！42", "abc12345", "one 一 two 二 three 三"]

with socket.create_connection((HOST, PORT)) as sock:
    for message in MESSAGES:  # printed, and answered, without reading a byte
        print(message)
    for message in MESSAGES:
        send_message(sock, message[::-1])
    sock.shutdown(socket.SHUT_WR)
