# Send each message and wait at most TIMEOUT for its echo; send it again when none comes.
import socket

SERVER = ("127.0.0.1", 9000)
TIMEOUT = 0.3  # seconds: far longer than a loopback round trip
TRIES = 10


def wait_for_echo(sock, message):
    """True once the echo of `message` arrives; False after TIMEOUT without it."""
    while True:
        try:
            data, _ = sock.recvfrom(1024)
        except TimeoutError:
            return False
        if data.decode() == message:
            return True
        # A late echo of an earlier message: not the one we wait for, keep waiting.


with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
    sock.settimeout(TIMEOUT)
    for number in range(1, 6):
        message = f"msg {number}"
        for attempt in range(1, TRIES + 1):
            sock.sendto(message.encode(), SERVER)
            if wait_for_echo(sock, message):
                print("echo:", message)
                break
            print(f"no echo for {message!r} (try {attempt}), sending it again")
        else:
            raise SystemExit(f"gave up on {message!r} after {TRIES} tries")
