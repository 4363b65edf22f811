# Attacks: the network boundary (Judge0 CVE-2024-29021: the sandbox reached services on the host).
# Reads a port on stdin where the test listens on the HOST's 127.0.0.1, and tries to connect, then
# tries the outside world.
# Expected: every attempt fails; the run's loopback is its own.
import socket

port = int(input())
for host in ("127.0.0.1", "localhost", "10.0.2.2", "1.1.1.1", "::1"):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            sock.connect((host, port))
            print(f"{host}: CONNECTED")
    except OSError as error:
        print(f"{host}: blocked ({type(error).__name__})")
try:
    socket.getaddrinfo("example.com", 80)
    print("dns: RESOLVED")
except OSError:
    print("dns: blocked")
