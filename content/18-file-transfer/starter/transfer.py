import hashlib
import json
import os
import socket
import time

SENDER = ("127.0.0.1", 8081)  # sends files: a JSON header line, then exactly "size" bytes
RECEIVER = ("127.0.0.1", 8080)  # a proxy (20 ms each way, 4 MB/s), then the receiver
SAVE_DIR = "/tmp"  # the only folder you may write to in the sandbox


def receive_file(stream):
    """Reads one file from the stream and saves it; returns (name, size, sha256) or None at EOF."""
    line = stream.readline()  # the header line, up to "\n"
    if not line:
        return None
    header = json.loads(line)
    # TODO: read exactly header["size"] bytes in chunks of at most 64 KiB (never past the
    # file's end), write them to os.path.join(SAVE_DIR, name), and feed each chunk to one
    # hashlib.sha256(). Return the name, the size and the hexdigest().
    return header["name"], header["size"], "TODO"


def send_file(name, size, sha256):
    """Sends a saved file to the receiver; returns its answer and the seconds it took."""
    # TODO: time it with time.perf_counter(); connect with a timeout; send the header line
    # (json.dumps(...) + "\n") and then the file with sendall() or sendfile(); read the answer.
    return "TODO", 1.0


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
