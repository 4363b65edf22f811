import socket
import ssl

HOST = "localhost"  # 每张证书都要和这个名字比对
REQUEST = "LOGIN alice s3cret\n"  # 这是密码：只能交给真正的服务器
PORTS = [8443, 8444, 8445]  # 先是真正的服务器，然后是两个冒充者

# 这个客户端说的是普通 TCP：路上的任何人都能读到密码，而任何在这个端口上应答的服务器
# 都会拿到它。让它改说 TLS，并且只信任本次运行的 CA（ca.pem）。
# TODO 1：创建一个用 ca.pem 验证证书的上下文。

for port in PORTS:
    with socket.create_connection((HOST, port)) as sock:
        # TODO 2：用你的上下文包装 sock，并说出服务器名（server_hostname=HOST）；
        #         之后通过包装后的套接字收发数据。
        # TODO 3：冒充者的证书会在包装时验证失败：捕获 ssl.SSLCertVerificationError，
        #         打印原因，然后继续下一个端口。
        sock.sendall(REQUEST.encode("utf-8"))
        reply = b""
        while True:
            chunk = sock.recv(4096)  # 服务器关闭后返回 b""
            if not chunk:
                break
            reply += chunk
        print(f"{port}: {reply.decode('utf-8', errors='replace')}")
