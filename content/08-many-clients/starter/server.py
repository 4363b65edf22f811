# The "simple server" of a popular tutorial, as it was published (comments translated).
# Run it as it is first, and read the clients' terminals. Then fix it:
#   TODO 1: generate_response() returns None, and send_message(None) raises TypeError.
#           The answer this lesson wants is the request itself, echoed back.
#   TODO 2: when handling fails, `continue` skips client_sock.close(): the connection stays
#           open (a leaked file descriptor) and the client waits for an answer that never comes.
#           Close the connection on every path: `with client_sock:` or `finally:`.
#   TODO 3: listen(10) does not mean "at most 10 connections": see the lesson.
import socket

def start_server():
    host = 'localhost'          # the server's IP address
    port = 8080                 # the server's port

    server_sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_sock.bind((host, port))
    server_sock.listen(10)      # "at most 10 connections" (it is not)

    print('Waiting for connection...')

    while True:
        client_sock, address = server_sock.accept()

        try:
            handle_connection(client_sock)
        except Exception as e:
            print('Error handling client', str(e))
            continue

        client_sock.close()


def handle_connection(client_sock):
    request = receive_message(client_sock)

    response = generate_response(request)

    send_message(client_sock, response)


def receive_message(client_sock):
    buffer_size = 1024

    message = b''

    while True:
        part = client_sock.recv(buffer_size)
        if len(part) == 0:
            break

        message += part

    return message


def generate_response(request):
    """Build the response."""
    pass


def send_message(client_sock, message):
    total_sent = 0
    while total_sent < len(message):
        sent = client_sock.send(message[total_sent:])
        if sent == 0:
            raise RuntimeError("socket connection broken")

        total_sent += sent


if __name__ == '__main__':
    start_server()
