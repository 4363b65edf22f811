# Attacks: the host side following links the sandbox made (Judge0 CVE-2024-28185 and -28189: the
# host wrote into and chowned a symlink planted in the box, reaching host files). Plants symlinks
# and hardlinks to host secrets and to the host's root in every writable place, and tries to climb
# out through /proc's magic links.
# Expected: the links point to nothing the sandbox can reach (its root is its own), the host side
# never follows them (the test checks the host's files are unchanged), and they vanish with the run.
import errno
import os

for index, target in enumerate(("/etc/shadow", "/root/.ssh/authorized_keys", "/proc/1/root/etc/shadow", "/work", "/")):
    for place in ("/tmp", "/dev/shm"):
        link = f"{place}/link{index}"
        try:
            os.symlink(target, link)
        except OSError as error:
            print(f"symlink {link}: {errno.errorcode[error.errno]}")
for index, source in enumerate(("/usr/bin/python3", "/etc/passwd", "/app/main.py")):
    try:
        os.link(source, f"/tmp/hard{index}")
        print(f"hardlink {source}: LINKED")
    except OSError as error:
        print(f"hardlink {source}: {errno.errorcode[error.errno]}")
for path in ("/proc/1/root/etc/shadow", "/proc/self/root/../../etc/shadow", "/proc/1/cwd/../../root", "/tmp/../../../../etc/shadow"):
    print(f"{path}: {'READABLE' if os.access(path, os.R_OK) else 'unreachable'}")
print("root is its own:", sorted(os.listdir("/proc/1/root")) == sorted(os.listdir("/")))
print("links left in /tmp:", len([name for name in os.listdir("/tmp") if name.startswith(("link", "hard"))]))
