# Correct except for the buffer: recvfrom(1024) cuts a longer datagram and drops the rest.
import socket

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
    server.bind(("127.0.0.1", 9000))
    count = 0
    while True:
        data, addr = server.recvfrom(1024)
        count += 1
        text = data.decode(errors="replace")  # a cut can fall inside a character
        server.sendto(f"{count} {text.upper()}".encode(), addr)
