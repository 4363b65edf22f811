import socket

HOST = "127.0.0.1"  # the echo server runs next to your code, on loopback
PORT = 8080
MESSAGE = "hello, handshake"

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, PORT))
    print(f"connected to {HOST}:{PORT}")

    payload = MESSAGE.encode("utf-8")
    sock.sendall(payload)  # send() may write only part of the data; sendall() loops

    # TCP is a byte stream: one recv() may return part of the echo, so read until
    # we have as many bytes as we sent (or the server closes the connection).
    reply = b""
    while len(reply) < len(payload):
        chunk = sock.recv(1024)
        if not chunk:  # b"" means the server closed the connection
            break
        reply += chunk

    print(reply.decode("utf-8"))
