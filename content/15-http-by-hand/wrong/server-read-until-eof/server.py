import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 8000))
    server.listen()
    while True:
        conn, addr = server.accept()
        with conn:
            # Reads until the client closes: but the client waits for the answer first.
            request = b""
            while chunk := conn.recv(1024):
                request += chunk
            head, _, body = request.partition(b"\r\n\r\n")
            method, path, _ = head.decode("ascii").split("\r\n")[0].split(" ")
            reply = f"{method} {path}\n".encode("utf-8") + body
            conn.sendall(
                f"HTTP/1.1 200 OK\r\nContent-Length: {len(reply)}\r\n\r\n".encode("ascii") + reply
            )
