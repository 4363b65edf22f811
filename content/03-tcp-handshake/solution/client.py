import socket

HOST = "127.0.0.1"
CLOSED_PORT = 8081  # nothing listens here
ECHO_PORT = 8080  # the echo server listens here
MESSAGE = "hello, handshake"

try:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect((HOST, CLOSED_PORT))
except ConnectionRefusedError as error:
    # The kernel answered our SYN with RST: no socket listens on that port.
    print(f"port {CLOSED_PORT}: {error}")

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, ECHO_PORT))  # returns once SYN, SYN-ACK and ACK have been exchanged
    print(f"connected from port {sock.getsockname()[1]} to port {ECHO_PORT}")

    payload = MESSAGE.encode("utf-8")
    sock.sendall(payload)
    reply = b""
    while len(reply) < len(payload):
        chunk = sock.recv(1024)
        if not chunk:  # b"": the server closed the connection
            break
        reply += chunk
    print(reply.decode("utf-8"))
