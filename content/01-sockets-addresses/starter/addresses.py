import socket

GREETER = ("127.0.0.1", 8080)  # the peer: it sends one line (a token) and closes

# Part 1: a client. No bind() needed: connect() lets the kernel pick the local port.
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    print("file descriptor:", sock.fileno())
    sock.connect(GREETER)
    # TODO 1: print this connection's 5-tuple on one line:
    #         tcp <local ip> <local port> <remote ip> <remote port>
    #         (getsockname() and getpeername() return (ip, port) pairs)
    # TODO 2: read everything the greeter sends (it closes when done) and print it.

# Part 2: a listener whose port the kernel chooses.
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
    listener.bind(("127.0.0.1", 8081))  # TODO 3: let the kernel choose: port 0
    listener.listen()
    # TODO 4: read the port with getsockname() and print it.
    # TODO 5: connect a second socket to that port, accept() it, and print the
    #         accepted connection's 5-tuple the same way.
