# Attacks: RLIMIT_CPU's warning signal. Ignores SIGXCPU (sent at the soft limit) and keeps spinning
# in one process.
# Expected: the run's CPU budget still ends it with reason cpu-limit, by the cgroup total or by the
# hard limit's SIGKILL, whichever comes first.
import signal

signal.signal(signal.SIGXCPU, signal.SIG_IGN)
print("SIGXCPU ignored; spinning", flush=True)
while True:
    pass
