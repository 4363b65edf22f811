import socket

HOST = "127.0.0.1"
CLOSED_PORT = 8081  # 这个端口上没有任何程序在监听
GREETER_PORT = 8080  # 问候服务器在这个端口上监听
QUEUE_PORT = 9000  # 第 3 部分自己在这里监听，而且从不 accept

# 第 1 部分：先原样运行。向一个没人监听的端口发送 SYN，会收到什么回应？
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, CLOSED_PORT))
# TODO 1：捕获 connect() 抛出的异常，打印一行说明这个端口拒绝了连接（直接打印这个错误就很清楚），
#         然后继续往下执行。

# 第 2 部分：TODO 2：用一个新的套接字连接 GREETER_PORT，发送 b"hello\n"，一直读到 recv()
#         返回 b""（问候服务器回复之后就会关闭连接），然后打印收到的回复。

# 第 3 部分已经写好了：一个监听着、但程序从不调用 accept() 的套接字。
# 运行之前，先回答课文里的问题。
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.bind((HOST, QUEUE_PORT))
    server.listen(1)  # 队列里大约只能放一个已建立的连接
    clients = []
    for number in (1, 2, 3):
        client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        client.settimeout(0.3)  # 不设超时的话，connect() 会反复重试大约两分钟
        clients.append(client)
        try:
            client.connect((HOST, QUEUE_PORT))
            print(f"client {number}: connected, waiting in the queue")
        except TimeoutError:
            print(f"client {number}: no answer, connect() timed out")
    for client in clients:
        client.close()
