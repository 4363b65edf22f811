# Attacks: privilege escalation through identity: setuid(0), setgroups, and the host's setuid-root
# programs (mount, su, passwd are setuid on Debian), which would run as root if the sandbox allowed
# it.
# Expected: every identity change is refused, and a setuid program runs as the sandbox user
# (no_new_privs and nosuid mounts): its effective uid stays 1000.
import errno
import os
import subprocess

for label, call in (("setuid(0)", lambda: os.setuid(0)), ("setgid(0)", lambda: os.setgid(0)), ("seteuid(0)", lambda: os.seteuid(0)), ("setgroups([0])", lambda: os.setgroups([0])), ("setresuid(0)", lambda: os.setresuid(0, 0, 0))):
    try:
        call()
        print(f"{label}: ALLOWED")
    except OSError as error:
        print(f"{label}: {errno.errorcode[error.errno]}")
usr = next(line.split() for line in open("/proc/self/mountinfo") if line.split()[4] == "/usr")
print("/usr mount options:", ",".join(sorted(set(usr[5].split(",")) & {"ro", "nosuid", "nodev"})))
print("/usr/bin/mount setuid bit:", "set" if os.stat("/usr/bin/mount").st_mode & 0o4000 else "unset")
# mount is setuid root on the host: if the bit worked here, it would mount as root.
probe = subprocess.run(["/usr/bin/mount", "-t", "tmpfs", "none", "/tmp"], capture_output=True, text=True, timeout=5)
print("setuid mount:", probe.returncode, probe.stderr.strip())
print("uid after all:", os.getuid(), os.geteuid(), os.getgroups())
