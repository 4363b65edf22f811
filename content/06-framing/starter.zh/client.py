# 读取 COUNT 条带长度前缀的消息，逐条打印，然后把每条消息反转后按同样的格式发回去。
# 先原样运行：服务器前面的代理每个报文段最多只递送 3 个字节。第一次 recv() 会返回什么？
import socket
import struct

HOST = "127.0.0.1"
PORT = 8080
COUNT = 5  # 服务器会发来这么多条消息
HEADER = struct.Struct("!I")  # 4 个字节：网络字节序（大端序）的无符号长度


def recv_message(sock):
    # TODO 1：recv(n) 最多返回 n 个字节，也可能更少。先读满 4 个字节的头部，
    #         再读满 length 个字节的内容，等内容完整了再解码。
    header = sock.recv(HEADER.size)
    (length,) = HEADER.unpack(header)
    return sock.recv(length).decode("utf-8")


def send_message(sock, text):
    # TODO 2：给回复加上帧头：先用 HEADER 打包它的 UTF-8 字节数（不是字符数），
    #         再接上这些字节本身，用一次 sendall() 发出去。
    pass


with socket.create_connection((HOST, PORT)) as sock:
    messages = [recv_message(sock) for _ in range(COUNT)]
    for message in messages:
        print(message)
    for message in messages:
        send_message(sock, message[::-1])  # 每条回复：把消息反转
    sock.shutdown(socket.SHUT_WR)  # 我们不再发送消息了
    while sock.recv(1024):  # 等服务器关闭它那一端
        pass
