# UDP 套接字上的套接字选项。fetch_task() 会取得本次运行的令牌（token）和数字（number）。
# 1. 把接收缓冲区（SO_RCVBUF）设为 4096 + number，再读回来并打印。
# 2. 把令牌发往 BROADCAST。它会报错：它需要哪个选项？
import socket

GREETER = ("127.0.0.1", 9002)  # 发来本次运行的 "TOKEN NUMBER" 一行，然后关闭连接
BROADCAST = ("127.255.255.255", 9001)  # 127.0.0.0/8 中的所有主机，端口 9001


def fetch_task():
    """本次运行的令牌和数字，来自 greeter。"""
    with socket.create_connection(GREETER) as conn:
        data = b""
        while chunk := conn.recv(1024):
            data += chunk
    token, number = data.decode().split()
    return token, int(number)


token, number = fetch_task()
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
print("default receive buffer:", sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
sock.sendto(token.encode(), BROADCAST)
