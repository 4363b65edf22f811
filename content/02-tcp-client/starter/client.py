import socket

HOST = "127.0.0.1"  # the greeter runs next to your code, on loopback
PORT = 8080
REQUEST = "hello, greeter\n"  # the greeter reads one line, up to "\n", before it answers

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, PORT))
    print(f"connected to {HOST}:{PORT}")

    # TODO 1: send REQUEST to the greeter. Sockets carry bytes, not str.
    # TODO 2: read the whole reply (the greeter closes the connection when it is done)
    #         and print it as text.
