# 教程风格的 UDP 客户端：发送每条消息，然后等它的回显。
# 运行它：你和回显服务器之间有一个中继，它会丢失、复制数据报，还会打乱它们的顺序。
# 然后改写它：给每条消息编号，超时后重发，并忽略过时的回显。
import socket

GREETER = ("127.0.0.1", 9002)  # 告诉我们本次运行要发的消息（TCP）
SERVER = ("127.0.0.1", 9000)  # 回显服务器前面的中继（UDP）


def fetch_messages():
    """本次运行的消息：greeter 发来的一行单词，发完它就关闭连接。"""
    with socket.create_connection(GREETER) as conn:
        data = b""
        while chunk := conn.recv(1024):
            data += chunk
    return data.decode().split()


sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for text in fetch_messages():
    sock.sendto(text.encode(), SERVER)
    data, addr = sock.recvfrom(65535)  # 如果数据报或它的回显丢了，这里会永远等下去
    print("echo:", data.decode())
sock.close()
