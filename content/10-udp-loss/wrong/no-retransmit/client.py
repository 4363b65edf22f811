# Numbers the messages and waits with a timeout, but never sends a message twice:
# a lost one is reported and skipped.
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
        sock.sendto(f"{seq} {text}".encode(), SERVER)
        try:
            while True:
                data, _ = sock.recvfrom(65535)
                number, _, echoed = data.decode().partition(" ")
                if number == str(seq):
                    print(f"echo #{seq}: {echoed}")
                    break
        except TimeoutError:
            print(f"lost: #{seq} {text}")
