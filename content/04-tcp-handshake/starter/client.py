import socket

HOST = "127.0.0.1"
CLOSED_PORT = 8081  # nothing listens here
GREETER_PORT = 8080  # the greeter listens here
QUEUE_PORT = 9000  # part 3 listens here itself, and never accepts

# Part 1: run this as it is first. What answers a SYN sent to a port where nothing listens?
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, CLOSED_PORT))
# TODO 1: catch the error that connect() raises, print a line saying that the port refused
#         the connection (the error itself reads well), and carry on.

# Part 2: TODO 2: connect to GREETER_PORT on a new socket, send b"hello\n", read the reply
#         until recv() returns b"" (the greeter closes after replying) and print it.

# Part 3 is written for you: a listening socket whose program never calls accept().
# Answer the question in the lesson before you run it.
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
