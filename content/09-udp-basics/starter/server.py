# The UDP server of one of the tutorials this course builds on, as it was published.
# Run it and read the client's terminal: how many of its datagrams get an answer?
# Your task: answer EVERY datagram with its number (1, 2, 3...) and its text in capitals,
# e.g. "3 HELLO" for the third datagram "hello".
import socket

server_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server_socket.bind(("127.0.0.1", 9000))

# Receive data (one datagram, at most 1024 bytes of it)
data, client_address = server_socket.recvfrom(1024)
print(data)

# Send data
server_socket.sendto(b"Hello, world!", client_address)

server_socket.close()
