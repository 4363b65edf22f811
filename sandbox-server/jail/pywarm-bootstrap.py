# Handshake's warm start of a learner's Python (sandbox-server/jail/pywarm.ts). The server starts
# `python3 -E -s -u /app/<file>` ahead of the run, in the run's jail, with this file standing in
# for /app/<file>. It imports the standard modules its kind of run uses (the host writes their
# names in), tells the host it is ready with a marker on stdout, then waits for one line on
# stdin. By then the server has put the learner's files in /app (read-only to this process, as
# to the learner). It then runs /app/<file> in the real __main__ module, restored to the state Python
# gave it, so the program sees what a cold `python3 -E -s -u /app/<file>` would show it.
#
# It runs with the learner's privileges and gives nothing more: it opens no fd that outlives
# it, reads stdin only up to the end of the go line (byte by byte, so nothing of the learner's
# input is consumed), and changes no setting the program could see. When the program would not
# behave as it does cold (a learner file shadows a module imported here; a file Python's own
# reader would treat differently from compile()), it exec()s the very command line of a cold
# start instead, in the same process: same pid, cgroup, limits and fds.
#
# No docstring and no annotations here: either would change __main__ before the snapshot.
_hs_pristine = dict(globals())


def _hs_preimport():
    import sys

    # Only this file is in /app now; the imports must find the standard library, not it.
    app = sys.path.pop(0)
    try:
        # The host writes this run kind's modules here (jail/pywarm.ts bootstrapSource).
        for name in ("HS_PREIMPORT",):
            try:
                __import__(name)
            except Exception:
                pass  # the program will meet the same failure itself, cold
    finally:
        sys.path.insert(0, app)


def _hs_wait():
    import os

    # Tells the host the imports are done: it offers this sandbox to a run only from now on,
    # and takes these bytes off stdout (no program has run yet to write any).
    os.write(1, b"\0pywarm-ready\n")
    line = b""
    while not line.endswith(b"\n"):
        byte = os.read(0, 1)
        if not byte:
            os._exit(0)  # the server went away before the run
        line += byte


def _hs_cold():
    import os
    import sys

    sys.stdout.flush()
    os.execv(sys.executable, sys.orig_argv)


def _hs_shadowed():
    import os
    import sys

    names = set()
    for entry in os.listdir(sys.path[0]):
        stem, dot, ext = entry.partition(".")
        names.add(stem if dot else entry)
    return any(name in sys.modules for name in names)


def _hs_go():
    _hs_wait()
    if _hs_shadowed():
        _hs_cold()
    pristine = _hs_pristine  # the globals are about to be cleared, this name with them
    path = pristine["__file__"]
    try:
        with open(path, "rb") as file:
            source = file.read()
        code = compile(source, path, "exec", dont_inherit=True)
    except BaseException:
        # Python reports a file it cannot compile in its own words (SyntaxError without a
        # traceback, "Non-UTF-8 code…"): let it, cold.
        _hs_cold()
    main = globals()
    main.clear()
    main.update(pristine)
    return code


_hs_preimport()
try:
    exec(_hs_go(), globals())
except BaseException:
    # Drop this file's frame from the traceback, then re-raise bare (which adds no frame), so
    # Python reports the exception, and exits, exactly as for an uncaught one: traceback through
    # sys.excepthook and status 1, SystemExit's code, KeyboardInterrupt's SIGINT.
    __import__("sys").exc_info()[1].__traceback__ = (
        __import__("sys").exc_info()[1].__traceback__.tb_next
    )
    raise
