import socket

HOST = "127.0.0.1"
PORT = 8000  # 测试客户端经过一个代理连到这里，代理把字节切成每块 5 个


def handle(conn):
    """读取一个请求，用它的方法、路径和正文作答。"""
    # TODO 3：接收头部，直到 b"\r\n\r\n"；从请求行里取出方法和路径，
    #         再接收 Content-Length 个字节的正文（没有这个头部就是 0）。
    request = conn.recv(1024)
    print(request)

    # TODO 4：正文必须是 f"{method} {path}\n" 后面接上请求正文的字节，
    #         Content-Length 必须是它的字节数。这个回答根本没有 Content-Length：
    #         客户端只有等连接关闭，才知道正文结束了。
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello")


with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, addr = server.accept()
        with conn:  # 每条连接只处理一个请求
            handle(conn)
