# Attacks: host secrets (Judge0: `printenv` showed the server's environment, judge0#564, and the
# API's config dir was bind-mounted into the box). Prints the environment, then tries the host's
# secret files, the application's directory and config, root's home, and other users' homes.
# Expected: a clean environment of seven known variables (nothing from the server's), and every
# host file absent: the sandbox's filesystem is built from nothing but /usr.
import os

print("env:", sorted(os.environ.items()))
print("pid 1 environ:", sorted(open("/proc/1/environ", "rb").read().split(b"\0")[:-1]) == sorted(f"{k}={v}".encode() for k, v in os.environ.items()))
for path in ("/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/ssh", "/root", "/home", "/work", "/srv", "/opt/handshake", "/var/lib", "/run/secrets", "/.env", "/app/.env", "/app/package.json", "/app/sandbox-server", "/etc/hostname", "/etc/resolv.conf", "/etc/machine-id", "/sys", "/boot", "/var/log", "/proc/kcore"):
    if not os.path.lexists(path):
        print(f"{path}: absent")
    else:
        print(f"{path}: PRESENT{' (readable)' if os.access(path, os.R_OK) else ''}")
print("passwd:", open("/etc/passwd").read().splitlines())
print("app:", sorted(os.listdir("/app")))
