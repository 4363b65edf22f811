import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 8080))
    server.listen()
    conn, addr = server.accept()
    with conn:
        data = conn.recv(1024)  # assumes one recv() is one whole line
        conn.sendall(data)
    print(data.decode("utf-8", errors="replace"))
