import socket

PRIMARY = ("127.0.0.1", 9000)  # accepts your connection, then never answers
BACKUP = ("127.0.0.1", 9001)  # restarting: refuses connections for its first seconds


def read_line(sock):
    """Read until the server's newline (or its FIN) and return the line as text."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(1024)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8").strip()


# TODO 1: give up on the primary after 1 second. Without a timeout, recv() below waits
# forever. Catch TimeoutError, print a line saying what happened, and move on to the backup.
with socket.create_connection(PRIMARY) as sock:
    print(read_line(sock))

# TODO 2: the backup refuses the first tries (ConnectionRefusedError). Retry with a new
# connection each time, sleeping 0.1 s, then 0.2 s, 0.4 s... (double the wait), printing a
# line for each refusal. Then print the backup's line: it holds this run's token.
try:
    with socket.create_connection(BACKUP) as sock:
        print(read_line(sock))
except socket.error as e:  # the tutorial's way: print the error and carry on
    print(e)
