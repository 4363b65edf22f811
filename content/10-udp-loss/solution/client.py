# Stop-and-wait over a lossy network: number each message, send it, wait a little for the echo
# carrying that number, and send it again when none comes in time.
import socket
import time

GREETER = ("127.0.0.1", 9002)  # tells us this run's messages (TCP)
SERVER = ("127.0.0.1", 9000)  # the relay in front of the echo server (UDP)
TIMEOUT = 0.3  # seconds to wait for an echo: far longer than a loopback round trip
TRIES = 20


def fetch_messages():
    """This run's messages: one line of words from the greeter, which then closes."""
    with socket.create_connection(GREETER) as conn:
        data = b""
        while chunk := conn.recv(1024):
            data += chunk
    return data.decode().split()


def wait_for_echo(sock, seq):
    """The text echoed with number `seq`, or None when TIMEOUT passes without it."""
    deadline = time.monotonic() + TIMEOUT
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)  # a stale echo must not restart the clock
        try:
            data, _ = sock.recvfrom(65535)
        except TimeoutError:
            return None
        number, _, text = data.decode().partition(" ")
        if number == str(seq):
            return text
        print(f"ignored a late or duplicate echo: {data.decode()!r}")
    return None


def send_reliably(sock, seq, text):
    """Sends `seq text` until its echo comes back; returns the echoed text."""
    for attempt in range(1, TRIES + 1):
        sock.sendto(f"{seq} {text}".encode(), SERVER)
        echoed = wait_for_echo(sock, seq)
        if echoed is not None:
            return echoed
        print(f"no echo of #{seq} after try {attempt}: sending it again")
    raise SystemExit(f"gave up on #{seq} after {TRIES} tries")


with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
    for seq, text in enumerate(fetch_messages(), start=1):
        print(f"echo #{seq}: {send_reliably(sock, seq, text)}")
