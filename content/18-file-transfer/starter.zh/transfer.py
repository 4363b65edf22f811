import hashlib
import json
import os
import socket
import time

SENDER = ("127.0.0.1", 8081)  # 发送方：先一行 JSON 头部，再恰好 "size" 个字节
RECEIVER = ("127.0.0.1", 8080)  # 一个代理（单向 20 毫秒，4 MB/秒），后面是接收方
SAVE_DIR = "/tmp"  # 沙箱里唯一可写的目录


def receive_file(stream):
    """从流中读取一个文件并保存；返回 (名字, 大小, sha256)，读到末尾时返回 None。"""
    line = stream.readline()  # 头部那一行，读到 "\n" 为止
    if not line:
        return None
    header = json.loads(line)
    # TODO：按每块最多 64 KiB 恰好读取 header["size"] 个字节（绝不读过文件末尾），
    # 写入 os.path.join(SAVE_DIR, name)，并把每一块喂给同一个 hashlib.sha256()。
    # 返回名字、大小和 hexdigest()。
    return header["name"], header["size"], "TODO"


def send_file(name, size, sha256):
    """把保存的文件发给接收方；返回它的回复和所用的秒数。"""
    # TODO：用 time.perf_counter() 计时；带超时连接；先发头部那一行（json.dumps(...) + "\n"），
    # 再用 sendall() 或 sendfile() 发送文件；读取回复。
    return "TODO", 1.0


with socket.create_connection(SENDER) as sock:
    stream = sock.makefile("rb")
    files = []
    while (file := receive_file(stream)) is not None:
        files.append(file)
        print("saved", *file)

name, size, sha256 = files[0]
answer, seconds = send_file(name, size, sha256)
print("receiver:", answer)
print(f"sent {size} bytes in {seconds:.3f} s: {size / seconds:.0f} bytes/s")
