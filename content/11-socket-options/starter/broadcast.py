# Socket options on a UDP socket. fetch_task() gets this run's token and number.
# 1. Set the receive buffer (SO_RCVBUF) to 4096 + number, read it back and print it.
# 2. Send the token to BROADCAST. It raises an error: which option does it need?
import socket

GREETER = ("127.0.0.1", 9002)  # sends this run's "TOKEN NUMBER" line, then closes
BROADCAST = ("127.255.255.255", 9001)  # every host of 127.0.0.0/8, port 9001


def fetch_task():
    """This run's token and number, from the greeter."""
    with socket.create_connection(GREETER) as conn:
        data = b""
        while chunk := conn.recv(1024):
            data += chunk
    token, number = data.decode().split()
    return token, int(number)


token, number = fetch_task()
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
print("default receive buffer:", sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
sock.sendto(token.encode(), BROADCAST)
