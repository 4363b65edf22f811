import socket

GREETER = ("127.0.0.1", 8080)  # peer：它发送一行（一个令牌）然后关闭连接

# 第一部分：客户端。不需要 bind()：connect() 会让内核挑选本地端口。
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    print("file descriptor:", sock.fileno())
    sock.connect(GREETER)
    # TODO 1：在一行里打印这个连接的五元组：
    #         tcp <本地 IP> <本地端口> <远端 IP> <远端端口>
    #         （getsockname() 和 getpeername() 返回 (ip, port) 二元组）
    # TODO 2：读完 greeter 发来的全部内容（它发完就关闭连接），并打印出来。

# 第二部分：一个由内核选择端口的监听套接字。
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
    listener.bind(("127.0.0.1", 8081))  # TODO 3：让内核来选：端口 0
    listener.listen()
    # TODO 4：用 getsockname() 读出端口号并打印。
    # TODO 5：再用一个套接字连接到这个端口，accept() 它，
    #         并用同样的格式打印被接受的连接的五元组。
