# A UDP server: answer every datagram with its number and its text in capital letters.
import socket

ADDRESS = ("127.0.0.1", 9000)
BIGGEST = 65535  # no UDP datagram is larger, so recvfrom() never cuts one short

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
    server.bind(ADDRESS)
    count = 0
    while True:  # a UDP server never learns that a client is "done": it serves until stopped
        data, addr = server.recvfrom(BIGGEST)  # one whole datagram, and who sent it
        count += 1
        text = data.decode()
        print(f"#{count} from {addr[0]}:{addr[1]}, {len(data)} bytes: {text[:30]!r}")
        server.sendto(f"{count} {text.upper()}".encode(), addr)  # back to that sender's port
