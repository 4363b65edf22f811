import socket

with socket.create_connection(("127.0.0.1", 8080)) as sock:
    for path in ["/first", "/second"]:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".encode("ascii"))
        # Reads until the server closes: but an HTTP/1.1 server keeps the connection open.
        response = b""
        while chunk := sock.recv(1024):
            response += chunk
        print(response.decode("utf-8").partition("\r\n\r\n")[2])
