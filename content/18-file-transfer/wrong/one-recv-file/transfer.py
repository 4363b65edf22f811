import hashlib
import json
import os
import socket
import time

SENDER = ("127.0.0.1", 8081)  # sends files: a JSON header line, then exactly "size" bytes
RECEIVER = ("127.0.0.1", 8080)  # a proxy (20 ms each way, 4 MB/s), then the receiver
CHUNK = 64 * 1024
SAVE_DIR = "/tmp"  # the only folder you may write to in the sandbox


def receive_file(stream):
    """Reads one file from the stream and saves it; returns (name, size, sha256) or None at EOF."""
    line = stream.readline()  # the header: everything up to "\n", never a byte more
    if not line:
        return None
    header = json.loads(line)
    name, size = header["name"], header["size"]
    digest = hashlib.sha256()  # one hash for the whole file, fed chunk by chunk
    remaining = size
    with open(os.path.join(SAVE_DIR, name), "wb") as out:
        chunk = stream.read1(size)  # one recv(size) for the whole file
        out.write(chunk)
        digest.update(chunk)
    if digest.hexdigest() != header["sha256"]:
        raise ValueError(f"{name}: the bytes do not match the header's sha256")
    return name, size, digest.hexdigest()


def send_file(name, size, sha256):
    """Sends a saved file to the receiver; returns its answer and the seconds it took."""
    start = time.perf_counter()
    # A timeout makes the socket non-blocking inside: send() may then take only part of the data.
    with socket.create_connection(RECEIVER, timeout=10) as sock, open(os.path.join(SAVE_DIR, name), "rb") as f:
        header = json.dumps({"name": name, "size": size, "sha256": sha256}) + "\n"
        sock.sendall(header.encode())
        sock.sendfile(f)  # the kernel copies the file to the socket, every byte of it
        answer = sock.makefile("rb").readline().decode().strip()
    return answer, time.perf_counter() - start


with socket.create_connection(SENDER) as sock:
    stream = sock.makefile("rb")
    files = []
    while (file := receive_file(stream)) is not None:
        files.append(file)
        print("saved", *file)

name, size, sha256 = files[0]
answer, seconds = send_file(name, size, sha256)
print("receiver:", answer)
print(f"sent {size} bytes in {seconds:.3f} s: {size / seconds:.0f} bytes/s")
