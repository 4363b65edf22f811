import socket

HOST = "127.0.0.1"
PORT = 8080
PIECES = ["I am done ", "sending, ", "but still ", "listening."]

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, PORT))
    for piece in PIECES:
        sock.sendall(piece.encode("utf-8"))
    sock.shutdown(socket.SHUT_WR)
    reply = sock.recv(1024)  # one call: whatever has arrived so far

print(reply.decode("utf-8"))
