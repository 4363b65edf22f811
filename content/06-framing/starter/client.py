# Reads COUNT length-prefixed messages, prints each one, then sends each one back reversed,
# framed the same way. Run it as it is first: the proxy in front of the server hands over at
# most 3 bytes per segment. What does the first recv() return?
import socket
import struct

HOST = "127.0.0.1"
PORT = 8080
COUNT = 5  # the server sends this many messages
HEADER = struct.Struct("!I")  # 4 bytes: an unsigned length in network byte order (big-endian)


def recv_message(sock):
    # TODO 1: recv(n) returns at most n bytes, maybe fewer. Read exactly 4 header bytes,
    #         then exactly `length` payload bytes, and decode only the whole payload.
    header = sock.recv(HEADER.size)
    (length,) = HEADER.unpack(header)
    return sock.recv(length).decode("utf-8")


def send_message(sock, text):
    # TODO 2: frame the reply: the length of its UTF-8 bytes (not its characters), packed
    #         with HEADER, then the bytes themselves, in one sendall().
    pass


with socket.create_connection((HOST, PORT)) as sock:
    messages = [recv_message(sock) for _ in range(COUNT)]
    for message in messages:
        print(message)
    for message in messages:
        send_message(sock, message[::-1])  # each reply: the message reversed
    sock.shutdown(socket.SHUT_WR)  # no more messages from us
    while sock.recv(1024):  # wait for the server to close its side
        pass
