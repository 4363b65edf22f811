# Attacks: devices. Looks for host devices (disks, memory, kernel log, terminals), tries to make
# device nodes, and writes to /dev itself.
# Expected: /dev holds only the harmless nodes bubblewrap provides (null, zero, full, random,
# urandom, tty, ptmx, pts, shm...), no node can be made, and /dev is read-only outside /dev/shm.
import errno
import os
import stat

print("dev:", sorted(os.listdir("/dev")))
for name in ("mem", "kmem", "port", "kmsg", "sda", "vda", "nvme0n1", "console", "tty0", "fuse", "kvm", "net/tun", "vsock", "mqueue"):
    print(f"/dev/{name}: {'PRESENT' if os.path.exists('/dev/' + name) else 'absent'}")
for path, mode in (("/tmp/sda", stat.S_IFBLK | 0o600), ("/tmp/mem", stat.S_IFCHR | 0o600), ("/dev/shm/null2", stat.S_IFCHR | 0o666)):
    try:
        os.mknod(path, mode, os.makedev(1, 1))
        print(f"mknod {path}: MADE")
    except OSError as error:
        print(f"mknod {path}: {errno.errorcode[error.errno]}")
for path in ("/dev/x", "/dev/null2"):
    try:
        open(path, "w").close()
        print(f"create {path}: CREATED")
    except OSError as error:
        print(f"create {path}: {errno.errorcode[error.errno]}")
try:
    fd = os.open("/dev/tty", os.O_RDWR)
    print("/dev/tty: OPENED")
except OSError as error:
    print(f"/dev/tty: {errno.errorcode[error.errno]}")
