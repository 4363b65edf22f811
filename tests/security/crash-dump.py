# Attacks: the host's core-dump handler. A crashing process is dumped by the kernel to a file in
# its working directory or piped to a host helper running as root (systemd-coredump, apport:
# a history of CVEs), which would then parse memory the sandbox wrote.
# Expected: no core is dumped (RLIMIT_CORE 0, and the operator keeps core_pattern a plain file
# name: docs/security.md): the child dies of SIGSEGV without "core dumped" and no file appears.
import ctypes
import os
import resource

print("RLIMIT_CORE:", resource.getrlimit(resource.RLIMIT_CORE))
os.chdir("/tmp")
pid = os.fork()
if pid == 0:
    ctypes.string_at(0)
_, status = os.waitpid(pid, 0)
print("child:", "signal", os.WTERMSIG(status), "core dumped" if os.WCOREDUMP(status) else "no core dump")
print("files in /tmp:", os.listdir("/tmp"))
