# A UDP client in the style of the tutorials: send each message, wait for its echo.
# Run it: between you and the echo server sits a relay that loses, duplicates and reorders
# datagrams. Then make it number each message, resend after a timeout and ignore stale echoes.
import socket

GREETER = ("127.0.0.1", 9002)  # tells us this run's messages (TCP)
SERVER = ("127.0.0.1", 9000)  # the relay in front of the echo server (UDP)


def fetch_messages():
    """This run's messages: one line of words from the greeter, which then closes."""
    with socket.create_connection(GREETER) as conn:
        data = b""
        while chunk := conn.recv(1024):
            data += chunk
    return data.decode().split()


sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for text in fetch_messages():
    sock.sendto(text.encode(), SERVER)
    data, addr = sock.recvfrom(65535)  # waits forever if the datagram or its echo was lost
    print("echo:", data.decode())
sock.close()
