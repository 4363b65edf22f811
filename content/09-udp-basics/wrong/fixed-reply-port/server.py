# Replies to a port it assumed the client bound, instead of the address recvfrom() returned.
import socket

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
    server.bind(("127.0.0.1", 9000))
    count = 0
    while True:
        data, addr = server.recvfrom(65535)
        count += 1
        server.sendto(f"{count} {data.decode().upper()}".encode(), ("127.0.0.1", 9001))
