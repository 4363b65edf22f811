import socket

HOST = "localhost"
REQUEST = "LOGIN alice s3cret\n"
PORTS = [8443, 8444, 8445]

# No TLS at all: the password crosses the network in clear text, to whoever listens.
for port in PORTS:
    try:
        with socket.create_connection((HOST, port)) as sock:
            sock.sendall(REQUEST.encode("utf-8"))
            reply = b""
            while True:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                reply += chunk
            print(f"{port}: {reply.decode('utf-8', errors='replace')!r}")
    except OSError as error:
        print(f"{port}: {error}")
