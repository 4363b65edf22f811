# Attacks: the end of the run (piston#196: `kill -STOP` froze the job until a global janitor). A
# child stops itself with SIGSTOP and the parent waits for it forever; a stopped task ignores every
# signal but SIGKILL.
# Expected: time-limit, and the stopped task is killed with the rest.
import os
import signal

pid = os.fork()
if pid == 0:
    os.kill(os.getpid(), signal.SIGSTOP)
    print("child resumed?!", flush=True)
else:
    print("child stopped itself; waiting", flush=True)
    os.waitpid(pid, 0)
