import socket

HOST = "127.0.0.1"
PORT = 8080  # Web 服务器，前面有一个代理，每次只递送 5 个字节
PATHS = ["/first", "/second"]  # 在同一条连接上先后请求这两个路径；/second 是分块发送的


def get(sock, path):
    """发送一个 GET 请求并读取它的响应；返回（状态行，正文字节）。"""
    # TODO 1：这个请求还不是合法的 HTTP/1.1。HTTP 用什么换行符？
    #         HTTP/1.1 又要求必须有哪个头部？
    request = f"GET {path} HTTP/1.1\n\n"
    sock.sendall(request.encode("ascii"))

    # TODO 2：一直接收到头部结束的空行（b"\r\n\r\n"），把状态行、各个头部和随之到达的
    #         正文字节分开，找出 Content-Length，再接收到恰好那么多正文字节为止。
    #         别等 b""：服务器会保持连接，等你的下一个请求。
    # TODO 3：/second 没有 Content-Length，而是 "Transfer-Encoding: chunked"：解码它的各块
    #         （一行十六进制的块大小，再是那么多字节和 "\r\n"；大小为 0 的块表示结束）。
    data = sock.recv(1024)
    return data.decode("utf-8", errors="replace"), b""


with socket.create_connection((HOST, PORT)) as sock:
    for path in PATHS:
        status_line, body = get(sock, path)
        print(f"{path}: {status_line}")
        print(body.decode("utf-8"))
