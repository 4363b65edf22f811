# Resends after a timeout, but takes whatever datagram comes next as the echo it waits for:
# a duplicate or late echo of an earlier message is accepted.
import socket
import time

GREETER = ("127.0.0.1", 9002)
SERVER = ("127.0.0.1", 9000)


def fetch_messages():
    with socket.create_connection(GREETER) as conn:
        data = b""
        while chunk := conn.recv(1024):
            data += chunk
    return data.decode().split()


with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
    sock.settimeout(0.3)
    for seq, text in enumerate(fetch_messages(), start=1):
        while True:
            sock.sendto(f"{seq} {text}".encode(), SERVER)
            try:
                data, _ = sock.recvfrom(65535)
            except TimeoutError:
                continue
            print(f"echo #{seq}: {data.decode().partition(' ')[2]}")
            break
