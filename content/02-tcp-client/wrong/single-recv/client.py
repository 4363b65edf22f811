import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect(("127.0.0.1", 8080))
    sock.sendall(b"hello, greeter\n")
    reply = sock.recv(1024)  # one recv() returns what has arrived so far, not the whole reply
    print(reply.decode("utf-8", errors="replace"))
