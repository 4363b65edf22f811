import socket

HOST = "127.0.0.1"  # greeter 就运行在你的代码旁边，地址是回环地址
PORT = 8080
REQUEST = "hello, greeter\n"  # greeter 先读一行（直到 "\n"），然后才回答

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, PORT))
    print(f"connected to {HOST}:{PORT}")

    # TODO 1：把 REQUEST 发送给 greeter。套接字传输的是字节，不是 str。
    # TODO 2：读完整个回复（greeter 说完就会关闭连接），并以文本形式打印出来。
