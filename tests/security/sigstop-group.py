# Attacks: the end of the run (piston#196: `kill -STOP 0` froze the whole job, so its CPU time
# stopped and only a global janitor ended it). A child leads a new process group of workers and
# stops the whole group, itself included, while the main program waits for it forever; the main
# program also tries to stop itself.
# Expected: the wall clock still ends the run (reason time-limit) and the stopped tasks are killed
# with the rest (SIGKILL reaches stopped tasks).
import os
import signal
import time

leader = os.fork()
if leader == 0:
    os.setpgid(0, 0)
    for _ in range(3):
        if os.fork() == 0:
            while True:
                time.sleep(1)
    os.kill(0, signal.SIGSTOP)
    os._exit(0)
time.sleep(0.2)
state = open(f"/proc/{leader}/stat").read().rsplit(")", 1)[1].split()[0]
print(f"group leader state {state}", flush=True)
# The program is pid 1 of its namespace: the kernel drops signals it has no handler for, SIGSTOP too.
os.kill(0, signal.SIGSTOP)
print("main not stopped; waiting for the stopped group", flush=True)
os.waitpid(leader, 0)
