# Attacks: cleanup. Daemonises (fork, setsid, fork) so that a process outlives the program
# (bubblewrap#105) and keeps writing.
# Expected: the daemon dies with the program (it is pid 1 of the sandbox's pid namespace), the run
# completes at once, and no process of the run remains.
import os
import time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            print("daemon still alive", flush=True)
            time.sleep(0.2)
    os._exit(0)
time.sleep(0.3)
print("parent exits", flush=True)
