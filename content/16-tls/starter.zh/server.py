import socket
import ssl

HOST = "127.0.0.1"
PORT = 9443

# 第二部分：这个回显服务器说的是普通 TCP。把它改成 TLS 服务器：本次运行已经为 localhost
# 生成了证书（server.pem，由 ca.pem 里的 CA 签发）和对应的私钥（server.key）。
# TODO 1：创建服务器端的上下文，并把证书和私钥加载进去。

with socket.create_server((HOST, PORT)) as server:
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, address = server.accept()
        # TODO 2：把 conn 包装成 TLS 连接的服务器一端，并通过它回显。
        # TODO 3：握手失败的客户端不能让服务器停下来：捕获 ssl.SSLError。
        with conn:
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                conn.sendall(chunk)
