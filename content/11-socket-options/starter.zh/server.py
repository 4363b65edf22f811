# 一个 TCP 服务器，套接字选项照搬某篇教程，也设置在它设置的位置。
# 它给一个客户端回显一行，然后先关闭连接；之后 restart.py 会再运行一次这个文件。
# 运行它：重启后的服务器为什么失败？SO_BROADCAST 在 TCP 上又有什么作用？
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 8080))
s.listen()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)

conn, addr = s.accept()
line = b""
while not line.endswith(b"\n"):
    chunk = conn.recv(1024)
    if not chunk:
        break
    line += chunk
conn.sendall(line)
conn.close()  # 我们先关闭：这一端的连接现在处于 TIME_WAIT
s.close()
print("served", addr, "and closed first")
