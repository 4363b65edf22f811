import socket
import ssl

HOST = "localhost"  # the name every certificate is checked against
REQUEST = "LOGIN alice s3cret\n"  # a password: it must reach only the real server
PORTS = [8443, 8444, 8445]  # the real server, then two impostors

# Trust exactly one CA: the one this run made (ca.pem sits next to your code, read-only).
# create_default_context() turns on both checks: the chain (verify_mode = CERT_REQUIRED) and
# the name (check_hostname = True). Change neither.
context = ssl.create_default_context(cafile="ca.pem")

for port in PORTS:
    try:
        with socket.create_connection((HOST, port)) as sock:
            # The TLS handshake happens here: server_hostname is sent as SNI, in clear
            # text, and is the name the certificate must be made out to.
            with context.wrap_socket(sock, server_hostname=HOST) as tls:
                print(f"{port}: {tls.version()} handshake done")
                tls.sendall(REQUEST.encode("utf-8"))
                # One recv() returns at most one TLS record: loop until the server closes.
                reply = b""
                while True:
                    chunk = tls.recv(4096)
                    if not chunk:
                        break
                    reply += chunk
                print(reply.decode("utf-8").strip())  # decode once, after joining
    except ssl.SSLCertVerificationError as error:
        # The handshake stopped before anything was sent: the password never left.
        print(f"{port}: refused: {error.verify_message}")
