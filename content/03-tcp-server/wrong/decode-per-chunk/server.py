import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 8080))
    server.listen()
    conn, addr = server.accept()
    with conn:
        text = ""
        while data := conn.recv(1024):
            text += data.decode("utf-8")  # a chunk may end inside a multibyte character
            conn.sendall(data)
    print(text)
