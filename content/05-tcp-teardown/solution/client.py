import socket

HOST = "127.0.0.1"
PORT = 8080
PIECES = ["I am done ", "sending, ", "but still ", "listening."]

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, PORT))
    for piece in PIECES:
        sock.sendall(piece.encode("utf-8"))
    sock.shutdown(socket.SHUT_WR)  # send our FIN: no more data from us, but we still read

    reply = b""
    while chunk := sock.recv(1024):  # b"" once the server has sent its FIN
        reply += chunk

print(reply.decode("utf-8"))
