import socket
import ssl

HOST = "localhost"
REQUEST = "LOGIN alice s3cret\n"
PORTS = [8443, 8444, 8445]

# The snippet old tutorials still show: ssl.wrap_socket() (deprecated since 3.7, removed in
# 3.12). Its defaults are cert_reqs=CERT_NONE and no server_hostname: no SNI, no verification.
for port in PORTS:
    try:
        with socket.create_connection((HOST, port)) as sock:
            with ssl.wrap_socket(sock) as tls:
                tls.sendall(REQUEST.encode("utf-8"))
                reply = b""
                while True:
                    chunk = tls.recv(4096)
                    if not chunk:
                        break
                    reply += chunk
                print(f"{port}: {reply.decode('utf-8').strip()}")
    except ssl.SSLError as error:
        print(f"{port}: refused: {error}")
