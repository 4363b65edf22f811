import socket

HOST = "127.0.0.1"
CLOSED_PORT = 8081  # nothing listens here
GREETER_PORT = 8080  # the greeter listens here
QUEUE_PORT = 9000  # part 3 listens here itself, and never accepts

# Parts 1 and 2 as seed article S0 writes them: one socket, socket.error caught and printed,
# then the program carries on as if it were connected.
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    sock.connect((HOST, CLOSED_PORT))
except socket.error as e:
    print(e)
sock.sendall(b"hello\n")
reply = sock.recv(1024)
print(reply.decode("utf-8").strip())
sock.close()

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
