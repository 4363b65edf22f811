import socket

GREETER = ("127.0.0.1", 8080)  # the peer: it sends one line (a token) and closes

# Part 1: a client. No bind(): connect() lets the kernel pick the local port.
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    print("file descriptor:", sock.fileno())  # a socket is a kernel object behind an fd
    sock.connect(GREETER)
    local_ip, local_port = sock.getsockname()
    remote_ip, remote_port = sock.getpeername()
    print("tcp", local_ip, local_port, remote_ip, remote_port)

    # The greeter closes after its line, so b"" marks the end of what it sent.
    data = b""
    while chunk := sock.recv(1024):
        data += chunk
    print("token:", data.decode("utf-8").strip())

# Part 2: a listener on a port the kernel chooses (port 0), then a connection to it.
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    print("listening on port", port)

    with socket.create_connection(("127.0.0.1", port)) as me:
        conn, addr = listener.accept()
        with conn:
            # The same connection seen from the accepting end: local and remote swap.
            print("tcp", *conn.getsockname(), *conn.getpeername())
