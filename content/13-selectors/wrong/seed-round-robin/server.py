import socket

HOST, PORT = "127.0.0.1", 8080

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(64)
    print(f"listening on {HOST}:{PORT}")
    clients = []
    while True:
        conn, addr = server.accept()  # waits until the next client arrives
        clients.append(conn)
        for client in list(clients):
            data = client.recv(65536)  # waits until THIS client sends something
            if data:
                client.sendall(data)
            else:  # b"": the client is done
                clients.remove(client)
                client.close()
