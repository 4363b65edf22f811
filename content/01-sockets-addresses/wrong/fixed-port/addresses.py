import socket

GREETER = ("127.0.0.1", 8080)
# The seed article "requests network resources" and lets netstat "allocate" a port; in practice
# that means picking a number that looked free. Nothing reserves it between looking and binding.
PORT = 8081

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect(GREETER)
    print("tcp", *sock.getsockname(), *sock.getpeername())
    data = b""
    while chunk := sock.recv(1024):
        data += chunk
    print("token:", data.decode("utf-8").strip())

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
    listener.bind(("127.0.0.1", PORT))
    listener.listen()
    print("listening on port", PORT)
    with socket.create_connection(("127.0.0.1", PORT)):
        conn, addr = listener.accept()
        with conn:
            print("tcp", *conn.getsockname(), *conn.getpeername())
