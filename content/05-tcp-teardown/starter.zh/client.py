# 分几段发送一个请求，然后一直读回复，直到服务器关闭它那一端。
# 先原样运行：它永远不会结束。谁在等谁？
import socket

HOST = "127.0.0.1"
PORT = 8080
PIECES = ["I am done ", "sending, ", "but still ", "listening."]

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, PORT))
    for piece in PIECES:
        sock.sendall(piece.encode("utf-8"))

    # 服务器关闭它那一端时，回复就结束了：这时 recv() 返回 b""。
    reply = b""
    while chunk := sock.recv(1024):
        reply += chunk

print(reply.decode("utf-8"))
