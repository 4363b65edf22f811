# 一个顺序执行的回显服务器（第 8 课）：一次只服务一个客户端。
# 先原样运行一次：人群里的第一个客户端发出 3 个字节之后就再也不发了，
# 其余所有客户端都排在它后面干等。
#   TODO 1：每个连接放到自己的线程里处理：threading.Thread(target=handle, ...)
#   TODO 2：在所有线程之间统计已服务的连接数和已回显的字节数，
#           用 threading.Lock 保护，每服务完一个连接就把两者都打印出来。
import socket

HOST, PORT = "127.0.0.1", 8080


def echo(conn):
    """把收到的每个字节原样发回，直到客户端关闭它的发送方向；返回一共多少字节。"""
    count = 0
    while True:
        data = conn.recv(4096)
        if not data:  # b""：客户端发完了
            return count
        conn.sendall(data)
        count += len(data)


def handle(conn, addr):
    """从头到尾服务一个客户端。"""
    with conn:  # 每条路径上都会关闭，客户端会收到我们的 FIN
        try:
            count = echo(conn)
        except ConnectionError as error:
            print(f"{addr[0]}:{addr[1]} 断开了：{type(error).__name__}")
            return
    # TODO 2：已服务的连接数加 1，已回显的字节数加上 count，然后把两者都打印出来
    print(f"{addr[0]}:{addr[1]}：回显了 {count} 字节")


with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(64)  # 人群会同时连进来：让它们排队
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, addr = server.accept()
        handle(conn, addr)  # TODO 1：这一行运行期间，别人都得不到服务
