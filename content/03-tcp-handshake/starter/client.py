import socket

HOST = "127.0.0.1"
CLOSED_PORT = 8081  # nothing listens here
ECHO_PORT = 8080  # the echo server listens here
MESSAGE = "hello, handshake"

# Run this as it is first: what answers a SYN sent to a port where nothing listens?
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, CLOSED_PORT))

# TODO 1: catch the error the connect() above raises, print a line saying that the port
#         refused the connection, and carry on.
# TODO 2: connect to ECHO_PORT, send MESSAGE and print the echo.
