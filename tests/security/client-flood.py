# Attacks: the trusted test client (tcp-client peer) that connects to the learner's server. The
# server answers its first line with an endless flood of garbage instead of the echo, never
# closing.
# Expected: the client takes only the bytes it waits for, reports a wrong echo and fails
# cleanly (exit 1) within its reply timeout, without buffering the flood; the run ends.
import os
import socket

with socket.create_server(("127.0.0.1", 8080)) as server:
    conn, _ = server.accept()
    conn.recv(100)
    garbage = os.urandom(65536)
    sent = 0
    try:
        while True:
            sent += conn.send(garbage)
    except OSError as error:
        print(f"client went away after {sent >> 20} MiB: {type(error).__name__}", flush=True)
