# 本课程参考的一篇教程里的 UDP 服务器，原样照搬。
# 运行它，再看客户端的终端：它的数据报有几个得到了回复？
# 你的任务：回复每一个数据报，内容是它的序号（1、2、3……）加上转成大写的文本，
# 例如第三个数据报是 "hello"，就回复 "3 HELLO"。
import socket

server_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server_socket.bind(("127.0.0.1", 9000))

# 接收数据（一个数据报，最多取 1024 字节）
data, client_address = server_socket.recvfrom(1024)
print(data)

# 发送数据
server_socket.sendto(b"Hello, world!", client_address)

server_socket.close()
