# Attacks: the trusted peer's parser and its log. Sends binary garbage, invalid UTF-8, terminal
# escapes, a 1 MiB message without a newline, a half-close, and an abortive close (RST), each on its
# own connection.
# Expected: the peer survives all of it (it logs the data escaped, as data) and still echoes exactly
# what a new connection sends.
import os
import socket
import struct

def send(payload, how):
    with socket.create_connection(("127.0.0.1", 8080), timeout=5) as sock:
        sock.sendall(payload)
        if how == "half-close":
            sock.shutdown(socket.SHUT_WR)
            while sock.recv(65536):
                pass
        elif how == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

send(os.urandom(4096), "close")
send(b"\xff\xfe\x80\xc0\xaf\xed\xa0\x80 not utf-8", "close")
send(b"\x1b]0;owned\x07\x1b[2J\x1b]52;c;b3duZWQ=\x07", "close")
send(b"G" * (1 << 20), "half-close")
send(b"bye", "reset")
with socket.create_connection(("127.0.0.1", 8080), timeout=5) as sock:
    sock.sendall(b"still there?")
    print("peer answers:", sock.recv(100).decode(), flush=True)
