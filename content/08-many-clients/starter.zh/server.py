# 一篇流行教程里的"简单服务器"，原样照搬。
# 先原样运行一次，看看各个客户端的终端输出。然后修正它：
#   TODO 1：generate_response() 返回 None，send_message(None) 会抛出 TypeError。
#           这一课要求的回复就是请求本身，原样发回。
#   TODO 2：处理出错时，`continue` 跳过了 client_sock.close()：连接一直开着（文件描述符泄漏），
#           客户端苦等一个永远不会来的回复。每条路径上都要关闭连接：用 `with client_sock:` 或 `finally:`。
#   TODO 3：listen(10) 的意思并不是"最多 10 个连接"：见课文。
import socket

def start_server():
    host = 'localhost'          # 服务端 IP 地址
    port = 8080                 # 服务端端口号

    server_sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_sock.bind((host, port))
    server_sock.listen(10)      # 原文注释："最大连接数为10"（并非如此）

    print('Waiting for connection...')

    while True:
        client_sock, address = server_sock.accept()

        try:
            handle_connection(client_sock)
        except Exception as e:
            print('Error handling client', str(e))
            continue

        client_sock.close()


def handle_connection(client_sock):
    request = receive_message(client_sock)

    response = generate_response(request)

    send_message(client_sock, response)


def receive_message(client_sock):
    buffer_size = 1024

    message = b''

    while True:
        part = client_sock.recv(buffer_size)
        if len(part) == 0:
            break

        message += part

    return message


def generate_response(request):
    """生成响应消息"""
    pass


def send_message(client_sock, message):
    total_sent = 0
    while total_sent < len(message):
        sent = client_sock.send(message[total_sent:])
        if sent == 0:
            raise RuntimeError("socket connection broken")

        total_sent += sent


if __name__ == '__main__':
    start_server()
