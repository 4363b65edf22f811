import socket
import time

HOST = "127.0.0.1"
PORT = 8080
PIECES = ["I am done ", "sending, ", "but still ", "listening."]

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, PORT))
    for piece in PIECES:
        sock.sendall(piece.encode("utf-8"))
    time.sleep(0.5)  # "give the server time", then close without reading anything

print("".join(PIECES))
