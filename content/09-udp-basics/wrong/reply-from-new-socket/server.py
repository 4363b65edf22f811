# Replies from a fresh socket: the answer leaves from a random port, not from 9000.
import socket

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
    server.bind(("127.0.0.1", 9000))
    count = 0
    while True:
        data, addr = server.recvfrom(65535)
        count += 1
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as replier:
            replier.sendto(f"{count} {data.decode().upper()}".encode(), addr)
