# Answers every datagram with the same text, without looking at what came.
import socket

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
    server.bind(("127.0.0.1", 9000))
    while True:
        _, addr = server.recvfrom(65535)
        server.sendto(b"1 HELLO", addr)
