# Uses setblocking(False) instead of a timeout: recvfrom() raises BlockingIOError at once
# when no datagram is waiting yet.
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
    sock.setblocking(False)
    for seq, text in enumerate(fetch_messages(), start=1):
        while True:
            sock.sendto(f"{seq} {text}".encode(), SERVER)
            data, _ = sock.recvfrom(65535)
            number, _, echoed = data.decode().partition(" ")
            if number == str(seq):
                print(f"echo #{seq}: {echoed}")
                break
