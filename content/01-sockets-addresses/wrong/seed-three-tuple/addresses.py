import socket

GREETER = ("127.0.0.1", 8080)

# The seed article: a socket "is identified by a unique 4-tuple of host address, protocol and
# port", which lists three values, and only the far end's.
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect(GREETER)
    host, port = sock.getpeername()
    print("tcp", host, port)
    data = b""
    while chunk := sock.recv(1024):
        data += chunk
    print("token:", data.decode("utf-8").strip())

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    with socket.create_connection(("127.0.0.1", port)):
        conn, addr = listener.accept()
        with conn:
            print("tcp", *conn.getsockname())
