import socket

with socket.create_connection(("127.0.0.1", 8080)) as sock:
    for path in ["/first", "/second"]:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".encode("ascii"))
        response = sock.recv(4096)  # what has arrived so far, not the whole response
        print(response.decode("utf-8", errors="replace"))
