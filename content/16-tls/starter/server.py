import socket
import ssl

HOST = "127.0.0.1"
PORT = 9443

# Part 2: this echo server speaks plain TCP. Make it a TLS server: the run made a certificate
# for localhost (server.pem, signed by the CA in ca.pem) and its private key (server.key).
# TODO 1: make a server context and load the certificate and key into it.

with socket.create_server((HOST, PORT)) as server:
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, address = server.accept()
        # TODO 2: wrap conn as the server side of a TLS connection, and echo through it.
        # TODO 3: a client that fails the handshake must not stop the server: catch ssl.SSLError.
        with conn:
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                conn.sendall(chunk)
