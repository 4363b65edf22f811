import socket

HOST = "127.0.0.1"  # the echo server runs next to your code, on loopback
PORT = 8080
MESSAGE = "hello, handshake"

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, PORT))
    print(f"connected to {HOST}:{PORT}")

    # TODO 1: send MESSAGE to the server. Sockets carry bytes, not str.
    # TODO 2: receive the echo and print it as text.
