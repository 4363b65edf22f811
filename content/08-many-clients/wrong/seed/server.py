import socket

def start_server():
    host = 'localhost'          # 服务端 IP 地址
    port = 8080                 # 服务端端口号

    server_sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_sock.bind((host, port))
    server_sock.listen(10)      # 最大连接数为10

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
    buffer_size = 1024

    total_sent = 0
    while total_sent < len(message):
        sent = client_sock.send(message[total_sent:])
        if sent == 0:
            raise RuntimeError("socket connection broken")

        total_sent += sent


if __name__ == '__main__':
    start_server()
