# Attacks: the trusted peer's resources. Opens 200 connections to the echo peer, and on each sends
# as much as it can for a second without ever reading the echoes back, so the peer's send buffers
# and memory would grow without bound if it did not respect backpressure; then drops them.
# Expected: the peer stays within its cgroup and keeps serving: after the flood a new connection
# still gets its echo, and the run ends cleanly (the peer's log of the flood is stopped by the
# run's output limit at the latest).
import socket
import struct
import time

connections = []
for _ in range(200):
    sock = socket.create_connection(("127.0.0.1", 8080), timeout=5)
    sock.setblocking(False)
    connections.append(sock)
sent = 0
deadline = time.monotonic() + 1.0
block = b"F" * 65536
while time.monotonic() < deadline:
    for sock in connections:
        try:
            sent += sock.send(block)
        except BlockingIOError:
            pass
print(f"flooded {len(connections)} connections with {sent >> 20} MiB, read nothing back", flush=True)
# Reset them: while they are full, the run's socket memory is spent and the peer takes no more.
for sock in connections:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
with socket.create_connection(("127.0.0.1", 8080), timeout=5) as probe:
    probe.sendall(b"still there?")
    print("peer answers:", probe.recv(100).decode(), flush=True)
