import socket

PRIMARY = ("127.0.0.1", 9000)  # 主服务器：接受连接之后一言不发
BACKUP = ("127.0.0.1", 9001)  # 备用服务器：正在重启，头几秒会拒绝连接


def read_line(sock):
    """一直读到服务器发来换行符（或它的 FIN），把这一行作为文本返回。"""
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(1024)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8").strip()


# TODO 1：等主服务器最多 1 秒就放弃。不设超时的话，下面的 recv() 会永远等下去。
# 捕获 TimeoutError，打印一行说明发生了什么，然后转向备用服务器。
with socket.create_connection(PRIMARY) as sock:
    print(read_line(sock))

# TODO 2：备用服务器会拒绝最初的几次尝试（ConnectionRefusedError）。每次用一个新连接重试，
# 先睡 0.1 秒，再 0.2 秒、0.4 秒……（等待时间逐次加倍），每次被拒绝都打印一行。
# 最后打印备用服务器发来的那一行：里面是本次运行的令牌。
try:
    with socket.create_connection(BACKUP) as sock:
        print(read_line(sock))
except socket.error as e:  # 教程的写法：打印错误，然后若无其事地继续
    print(e)
