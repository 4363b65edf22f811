import socket

# The seed article's client: it receives first, then sends. Against a server that waits for a
# request before answering, both sides wait for each other.
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("localhost", 8080))

data = s.recv(1024)
s.send(b"Hello, world!\n")
print(data)

s.close()
