import socket
import ssl

HOST = "localhost"  # the name every certificate is checked against
REQUEST = "LOGIN alice s3cret\n"  # a password: it must reach only the real server
PORTS = [8443, 8444, 8445]  # the real server, then two impostors

# This client speaks plain TCP: anyone on the path reads the password, and any server that
# answers on the port gets it. Make it speak TLS, and trust only this run's CA (ca.pem).
# TODO 1: make a context that verifies certificates against ca.pem.

for port in PORTS:
    with socket.create_connection((HOST, port)) as sock:
        # TODO 2: wrap sock with your context, naming the server (server_hostname=HOST);
        #         send and receive through the wrapped socket.
        # TODO 3: an impostor's certificate fails verification while wrapping: catch
        #         ssl.SSLCertVerificationError, print why, and go on to the next port.
        sock.sendall(REQUEST.encode("utf-8"))
        reply = b""
        while True:
            chunk = sock.recv(4096)  # returns b"" once the server has closed
            if not chunk:
                break
            reply += chunk
        print(f"{port}: {reply.decode('utf-8', errors='replace')}")
