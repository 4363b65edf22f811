import socket
import time

PRIMARY = ("127.0.0.1", 9000)  # accepts, then never answers
BACKUP = ("127.0.0.1", 9001)  # restarting: refuses connections for a few seconds
TIMEOUT = 1.0  # seconds to wait for the primary's greeting
FIRST_WAIT = 0.1  # seconds before the first retry; doubled after each refusal
MAX_WAIT = 2.0
MAX_ATTEMPTS = 8


def read_line(sock):
    """Read until the server's newline (or its FIN) and return the line as text."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(1024)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8").strip()


def ask_primary():
    try:
        with socket.create_connection(PRIMARY, timeout=TIMEOUT) as sock:
            return read_line(sock)
    except TimeoutError:
        print(f"primary: no answer within {TIMEOUT} s (TimeoutError), trying the backup")
    except ConnectionError as error:
        print(f"primary: {type(error).__name__}: {error}, trying the backup")
    return None


def ask_backup():
    wait = FIRST_WAIT
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with socket.create_connection(BACKUP, timeout=TIMEOUT) as sock:
                return read_line(sock)
        except ConnectionRefusedError:
            print(f"backup: attempt {attempt} refused, retrying in {wait:.1f} s")
        except TimeoutError:
            print(f"backup: attempt {attempt} timed out, retrying in {wait:.1f} s")
        time.sleep(wait)
        wait = min(wait * 2, MAX_WAIT)
    return None


token = ask_primary() or ask_backup()
if token is None:
    raise SystemExit("no server answered")
print(token)
