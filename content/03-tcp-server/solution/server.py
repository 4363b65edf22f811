import socket

HOST = "127.0.0.1"
PORT = 8080

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    # Before bind(): lets a restarted server bind the port again while connections of the
    # previous run still sit in TIME_WAIT (otherwise: "Address already in use").
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    print(f"listening on {HOST}:{PORT}")

    conn, addr = server.accept()  # a NEW socket, connected to this one client
    with conn:
        print(f"connection from {addr[0]}:{addr[1]}")
        received = b""
        while True:
            data = conn.recv(1024)  # whatever has arrived: part of a line, or several
            if not data:  # b"": the client closed its side (it sent a FIN)
                break
            conn.sendall(data)  # echo these bytes at once, all of them
            received += data
    # Decode once, after joining: a chunk may end in the middle of a character.
    print(received.decode("utf-8"), end="")  # the lines end with "\n" already
    print("client closed the connection; bye")
