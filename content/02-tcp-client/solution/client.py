import socket

HOST = "127.0.0.1"  # the greeter runs next to your code, on loopback
PORT = 8080
REQUEST = "hello, greeter\n"  # the greeter reads one line, up to "\n", before it answers

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, PORT))
    print(f"connected to {HOST}:{PORT}")

    sock.sendall(REQUEST.encode("utf-8"))  # send() may write only part; sendall() loops

    # TCP is a byte stream: each recv() returns whatever has arrived so far. The greeter
    # closes the connection after its reply, so recv() returning b"" marks the end.
    reply = b""
    while True:
        chunk = sock.recv(1024)
        if not chunk:
            break
        reply += chunk

    # Decode once, after joining: a chunk may end in the middle of a character.
    print(reply.decode("utf-8").strip())
