import socket
import ssl

HOST = "127.0.0.1"
PORT = 9443

# A server proves who it is with a certificate and the private key that goes with it. This run
# made both for you (for localhost, signed by the CA in ca.pem): server.pem and server.key.
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(certfile="server.pem", keyfile="server.key")

with socket.create_server((HOST, PORT)) as server:
    print(f"listening on {HOST}:{PORT}")
    while True:
        conn, address = server.accept()
        try:
            # server_side=True: answer the client's ClientHello with our certificate.
            # server_side forgotten: the connection is wrapped as a TLS client
            with context.wrap_socket(conn) as tls:
                print(f"{address}: {tls.version()} handshake done")
                while True:
                    chunk = tls.recv(4096)
                    if not chunk:
                        break
                    tls.sendall(chunk)  # echo: the bytes as they came
        except ssl.SSLError as error:
            # A client that refuses us (or speaks no TLS) must not bring the server down.
            print(f"{address}: handshake failed: {error}")
            conn.close()
