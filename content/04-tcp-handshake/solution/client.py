import socket

HOST = "127.0.0.1"
CLOSED_PORT = 8081  # nothing listens here
GREETER_PORT = 8080  # the greeter listens here
QUEUE_PORT = 9000  # part 3 listens here itself, and never accepts

# Part 1: a SYN to a port where nothing listens.
try:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect((HOST, CLOSED_PORT))
except ConnectionRefusedError as error:
    # The kernel answered our SYN with RST: no socket listens on that port.
    print(f"port {CLOSED_PORT}: {error}")

# Part 2: a full handshake, then a request and the greeter's reply.
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, GREETER_PORT))  # returns once SYN, SYN-ACK and ACK have been exchanged
    print(f"connected from port {sock.getsockname()[1]} to port {GREETER_PORT}")
    sock.sendall(b"hello\n")
    reply = b""
    while chunk := sock.recv(1024):  # b"": the greeter has closed its side
        reply += chunk
    print(reply.decode("utf-8").strip())

# Part 3: a listening socket whose program never calls accept().
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.bind((HOST, QUEUE_PORT))
    server.listen(1)  # a queue of (about) one finished connection
    clients = []
    for number in (1, 2, 3):
        client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        client.settimeout(0.3)  # without it, connect() would retry for about two minutes
        clients.append(client)
        try:
            client.connect((HOST, QUEUE_PORT))
            print(f"client {number}: connected, waiting in the queue")
        except TimeoutError:
            print(f"client {number}: no answer, connect() timed out")
    for client in clients:
        client.close()
