import socket

HOST, PORT = "127.0.0.1", 8080

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(64)
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, addr = server.accept()
        with conn:  # one client at a time, as in lesson 8
            while data := conn.recv(65536):
                conn.sendall(data)
