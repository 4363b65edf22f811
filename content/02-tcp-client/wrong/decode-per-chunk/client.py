import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect(("127.0.0.1", 8080))
    sock.sendall(b"hello, greeter\n")
    text = ""
    while chunk := sock.recv(1024):
        text += chunk.decode("utf-8")  # a chunk may end inside a multibyte character
    print(text.strip())
