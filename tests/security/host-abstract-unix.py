# Attacks: the host through UNIX sockets: abstract sockets are scoped by network namespace, so a
# sandbox sharing the host's would reach host services (containerd CVE-2020-15257, moby#14767).
# Tries the host's abstract sockets (the test listens on one; the server's slot locks are others)
# and the usual host socket files.
# Expected: every abstract name is refused and no socket file exists; the test's host listener
# counts no connection.
import errno
import os
import socket

names = [line.split()[-1] for line in open("/proc/net/unix").read().splitlines()[1:] if line.split()[-1].startswith("@")]
print("abstract sockets visible:", names)
for name in ("handshake-security-canary", "handshake-slot-0", "handshake-slot-1", "/org/freedesktop/systemd1/notify"):
    with socket.socket(socket.AF_UNIX) as sock:
        try:
            sock.connect("\0" + name)
            print(f"@{name}: CONNECTED")
        except OSError as error:
            print(f"@{name}: {errno.errorcode[error.errno]}")
for path in ("/run/docker.sock", "/var/run/docker.sock", "/run/systemd/private", "/run/dbus/system_bus_socket", "/tmp/.X11-unix/X0"):
    print(f"{path}: {'PRESENT' if os.path.exists(path) else 'absent'}")
