import socket

# 这是一篇流行教程里的“简单 TCP 服务器”。原样运行它，然后看测试客户端的终端：
# 客户端会发送几行内容，并期望每一行都被原样送回。
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("localhost", 8080))
s.listen(5)

while True:
    c, addr = s.accept()
    print("Connection from:", addr)
    c.send(b"Hello, world!")
    c.close()
