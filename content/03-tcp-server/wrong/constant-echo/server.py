import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 8080))
    server.listen()
    conn, addr = server.accept()
    with conn:
        while conn.recv(1024):
            conn.sendall(b"hello\n")  # answers with what a line probably looks like
    print("hello")
