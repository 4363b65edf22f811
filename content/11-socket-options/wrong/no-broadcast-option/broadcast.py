# Never sets SO_BROADCAST: sendto() a broadcast address raises PermissionError.
# Socket options on a UDP socket: read back the receive buffer, then broadcast.
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
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
    # Level SOL_SOCKET (options of any socket), option SO_RCVBUF, value in bytes.
    print("default receive buffer:", sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096 + number)
    print(f"asked for {4096 + number}, got:", sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))

    sock.sendto(token.encode(), BROADCAST)
    print("broadcast", token)
