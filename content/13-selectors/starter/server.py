# A seed article says sockets are "asynchronous" channels. They are not: a new socket is
# BLOCKING, so accept() and recv() wait until there is something to return.
# This server believes the article: it keeps a list of clients and asks each in turn.
# Run it as it is first: the crowd's first client sends 3 bytes and then nothing.
#   TODO 1: make every socket non-blocking (setblocking(False)) and wait for the ones that
#           are ready with selectors.DefaultSelector: register(), select(), modify().
#   TODO 2: send() on a non-blocking socket may take fewer bytes than you give it:
#           keep the rest per connection and send it when the socket is writable again.
#   TODO 3: close a connection once its client has shut down its side and all is sent.
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
