import socket

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(('localhost', 8080))
s.listen(5)

while True:
    c, addr = s.accept()
    print('Connection from:', addr)
    c.send(b'Hello, world!')
    c.close()
