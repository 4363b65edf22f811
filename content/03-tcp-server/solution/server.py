import socket

HOST = "127.0.0.1"
PORT = 8080

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    # Let a restarted server bind the port again while old connections sit in TIME_WAIT.
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    print(f"listening on {HOST}:{PORT}")

    conn, addr = server.accept()
    with conn:
        print(f"connection from {addr[0]}:{addr[1]}")
        while True:
            data = conn.recv(1024)
            if not data:  # b"": the client closed its side
                break
            conn.sendall(data)
    print("client closed the connection; bye")
