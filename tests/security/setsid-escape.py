# Attacks: cleanup. A child leaves the session (setsid), ignores every catchable signal, closes
# its output (so no pipe ties it to the run) and spins; the parent exits at once, hoping the run
# ends without noticing the child (bubblewrap#105, DMOJ judge-server#318).
# Expected: the run completes at once and no process of it remains: the program is pid 1 of its
# pid namespace, so when it exits the kernel kills every other task in the namespace.
import os
import signal

if os.fork() == 0:
    os.setsid()
    for sig in range(1, signal.NSIG):
        try:
            signal.signal(sig, signal.SIG_IGN)
        except (OSError, ValueError):
            pass
    os.close(1)
    os.close(2)
    while True:
        pass
print("parent leaves the child behind", flush=True)
