# Answers the first datagram correctly, then exits: the client's other datagrams go unanswered.
import socket

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
    server.bind(("127.0.0.1", 9000))
    data, addr = server.recvfrom(65535)
    server.sendto(b"1 " + data.decode().upper().encode(), addr)
