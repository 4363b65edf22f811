# 一篇种子文章说套接字是"异步的"数据传输通道。并不是：新建的套接字是**阻塞**的，
# accept() 和 recv() 会一直等到有东西可以返回为止。
# 这个服务器相信了那篇文章：它把客户端放进一个列表，轮流询问每一个。
# 先原样运行一次：人群里的第一个客户端发出 3 个字节之后就再也不发了。
#   TODO 1：把每个套接字都设为非阻塞（setblocking(False)），并用 selectors.DefaultSelector
#           等待已经就绪的套接字：register()、select()、modify()。
#   TODO 2：非阻塞套接字上的 send() 可能只接收你给它的一部分字节：
#           把剩下的按连接保存起来，等套接字重新可写时再发。
#   TODO 3：客户端关闭了它的发送方向、而且数据都发完之后，就关闭这个连接。
import socket

HOST, PORT = "127.0.0.1", 8080

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(64)
    print(f"listening on {HOST}:{PORT}")
    clients = []
    while True:
        conn, addr = server.accept()  # 一直等到下一个客户端到来
        clients.append(conn)
        for client in list(clients):
            data = client.recv(65536)  # 一直等到**这个**客户端发来数据
            if data:
                client.sendall(data)
            else:  # b""：客户端发完了
                clients.remove(client)
                client.close()
