import socket

HOST = "127.0.0.1"
PORT = 9443

# A plain TCP echo server: no certificate, no TLS.
with socket.create_server((HOST, PORT)) as server:
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, address = server.accept()
        with conn:
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                conn.sendall(chunk)
