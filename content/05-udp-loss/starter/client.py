# A "UDP client" in the style of the tutorial: send each message, wait for its echo.
# Run it: between you and the echo server sits a relay that loses datagrams.
import socket

SERVER = ("127.0.0.1", 9000)

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for number in range(1, 6):
    message = f"msg {number}"
    sock.sendto(message.encode(), SERVER)
    data, addr = sock.recvfrom(1024)  # waits forever if the datagram or its echo was lost
    print("echo:", data.decode())
sock.close()
