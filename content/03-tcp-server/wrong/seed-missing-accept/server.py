import socket

# The seed article: "to create a TCP server, bind() the address and port, then listen()".
# There it stops, so this server reads from the listening socket itself.
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("localhost", 8080))
s.listen(5)
data = s.recv(1024)
s.sendall(data)
