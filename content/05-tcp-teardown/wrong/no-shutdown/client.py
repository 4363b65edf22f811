# Sends a request in pieces, then reads the reply until the server closes its side.
# Run it as it is: it never finishes. Who is waiting for whom?
import socket

HOST = "127.0.0.1"
PORT = 8080
PIECES = ["I am done ", "sending, ", "but still ", "listening."]

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, PORT))
    for piece in PIECES:
        sock.sendall(piece.encode("utf-8"))

    # The reply ends when the server closes its side: recv() then returns b"".
    reply = b""
    while chunk := sock.recv(1024):
        reply += chunk

print(reply.decode("utf-8"))
