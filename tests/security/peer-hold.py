# Attacks: the trusted peer's connection slots and the end of the run. Opens as many connections
# to the echo peer as its fd limit allows and holds them open, silent, until the run is stopped.
# Expected: the peer accepts them all and still answers a new one; the run ends at the wall clock
# (time-limit), killing the peer and the program together: no connection keeps anything alive.
import errno
import socket
import time

held = []
try:
    while len(held) < 1000:
        held.append(socket.create_connection(("127.0.0.1", 8080), timeout=5))
except OSError as error:
    print(f"stopped opening at {len(held)} connections: {errno.errorcode.get(error.errno, error)}", flush=True)
print(f"holding {len(held)} connections", flush=True)
held[-1].close()
with socket.create_connection(("127.0.0.1", 8080), timeout=5) as probe:
    probe.sendall(b"still there?")
    print("peer answers:", probe.recv(100).decode(), flush=True)
time.sleep(3600)
