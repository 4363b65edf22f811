/**
 * The warm Python (sandbox-server/jail/pywarm.ts): a learner's interpreter started ahead with
 * the slow modules imported must look, to the program, exactly like a cold
 * `python3 -E -s -u /app/<file>`. Each test runs the same program cold and warm and compares
 * everything the program can tell: its output, its exit, the run's end.
 */
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ROOT } from '../../sandbox-server/jail/pywarm.ts';
import { BASE_PREIMPORT } from '../../sandbox-server/plan/pywarm-modules.ts';
import {
  eventOf,
  expectNothingLeft,
  outputOf,
  py,
  runFiles,
  type TestRun,
  type TestRunOptions,
  testHost,
} from './sandbox-harness.ts';
import { warmRun } from './warm-harness.ts';

// Room for the kind a test asks for beside the three kinds run lately, which the pool keeps too.
testHost.configure({ warmSandboxes: 1, warmSandboxesMax: 6 });
afterAll(async () => {
  await testHost.disposeAsync();
  // Every app directory this process mounted is gone once runs and the pool are done.
  const mine = existsSync(APP_ROOT)
    ? readdirSync(APP_ROOT).filter((name) => name.startsWith(`hs-${testHost.instance}-`))
    : [];
  expect(mine).toEqual([]);
});

type Files = Record<string, string>;

/** What a program can tell about how it ran, per learner process. */
function observed(run: TestRun, names: string[]) {
  return names.map((name) => {
    const exit = eventOf(run, 'process-exited', name);
    return {
      name,
      stdout: outputOf(run, name),
      stderr: outputOf(run, name, 'stderr'),
      exitCode: exit.exitCode,
      signal: exit.signal,
      end: exit.end,
    };
  });
}

/** Runs `files` cold, then warm, checks both left nothing, and returns what each showed. */
async function coldAndWarm(files: Files, options: TestRunOptions = {}) {
  const names = Object.keys(files).slice(0, 1);
  const cold = await runFiles(files, { ...options, warmSandbox: false });
  const warm = await warmRun(files, options);
  for (const run of [cold, warm]) expectNothingLeft(run.info);
  return {
    cold: { processes: observed(cold, names), reason: eventOf(cold, 'run-finished').reason },
    warm: { processes: observed(warm, names), reason: eventOf(warm, 'run-finished').reason },
    warmRun: warm,
  };
}

/** Asserts cold and warm agree, and returns the warm run's first process for more checks. */
async function expectSame(files: Files, options: TestRunOptions = {}) {
  const { cold, warm, warmRun } = await coldAndWarm(files, options);
  expect(warm).toEqual(cold);
  return { ...warm.processes[0]!, run: warmRun };
}

const IDENTITY = py`
  import os, sys, resource, stat
  print(sys.argv, sys.orig_argv, sys.path, sys.flags)
  print(__name__, __file__, __spec__, __loader__.name, __loader__.path, __package__, __doc__)
  print(sorted(globals()))
  print(os.getcwd(), sorted(os.environ.items()))
  print(os.getuid(), os.getgid(), os.geteuid(), os.getgroups(), os.getpid(), os.getppid())
  for name in ("CPU", "AS", "FSIZE", "NOFILE", "NPROC", "CORE", "MEMLOCK", "MSGQUEUE", "STACK"):
      print(name, resource.getrlimit(getattr(resource, "RLIMIT_" + name)))
  print(sorted(os.listdir("/proc/self/fd")), [os.readlink(f"/proc/self/fd/{n}")[:5] for n in range(3)])
  status = open("/proc/self/status").read().splitlines()
  print([line for line in status if line.split(":")[0] in ("Seccomp", "NoNewPrivs", "CapEff", "CapPrm", "CapBnd", "Uid", "Gid")])
  print(open("/proc/self/cgroup").read().split())
  print(open("/proc/1/cmdline", "rb").read(), sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))
  for path in ["/app"] + sorted("/app/" + name for name in os.listdir("/app")):
      st = os.stat(path)
      print(path, stat.filemode(st.st_mode), st.st_uid, st.st_gid, st.st_size)
  for attempt in (lambda: open("/app/new.py", "w"), lambda: open(__file__, "a"), lambda: os.chmod(__file__, 0o777)):
      try:
          attempt()
          print("WRITABLE")
      except OSError as error:
          print(type(error).__name__, error.errno)
  print(sys.stdin.isatty(), sys.stdout.line_buffering, sys.stdout.write_through, sys.stdin.encoding, sys.stdout.encoding)
  print(len(sys.argv), sys.getrecursionlimit(), sys.getswitchinterval())
`;

describe('a warm Python', () => {
  it('runs the program as a cold start would: argv, path, __main__, cwd, env, ids, limits, fds, filters, cgroup, /app', async () => {
    const warm = await expectSame({ 'main.py': IDENTITY, 'helper.py': 'X = 1\n' });
    expect(warm.stdout).toContain("['/app/main.py'] ['/usr/bin/python3', '-E', '-s', '-u'");
    expect(warm.stdout).toContain("['0', '1', '2', '3']");
    expect(warm.stdout).not.toContain('WRITABLE');
  });

  it('has the slow modules imported before the program starts (what makes it fast)', async () => {
    const probe = py`
      import sys
      print(all(name in sys.modules for name in ("asyncio", "ssl", "threading")))
    `;
    const cold = await runFiles({ 'probe.py': probe }, { warmSandbox: false });
    const warm = await warmRun({ 'probe.py': probe });
    expect(outputOf(cold, 'probe.py')).toBe('False\n');
    expect(outputOf(warm, 'probe.py')).toBe('True\n');
  });

  it("imports ahead what the lesson's files import, on top of the base, and only that", async () => {
    const probe = py`
      import sys
      print(*(name in sys.modules for name in ("socket", "selectors", "asyncio", "ssl", "json")))
    `;
    const lesson = (pythonImports: string[]) => ({
      processes: [{ file: 'probe.py' }],
      pythonImports,
    });
    const sockets = await warmRun({ 'probe.py': probe }, { lesson: lesson(['socket']) });
    expect(outputOf(sockets, 'probe.py')).toBe('True True False False False\n');
    const streams = await warmRun({ 'probe.py': probe }, { lesson: lesson(['asyncio', 'time']) });
    expect(outputOf(streams, 'probe.py')).toBe('True True True True False\n'); // asyncio imports ssl itself
    expect(BASE_PREIMPORT).toContain('selectors');
  });

  it('runs a lesson program that imports more than its lesson did: the rest loads as usual', async () => {
    const files = {
      'main.py': 'import json, ssl\nprint(json.dumps([ssl.PROTOCOL_TLS_CLIENT > 0]))\n',
    };
    const lesson = { processes: [{ file: 'main.py' }], pythonImports: ['socket'] };
    const cold = await runFiles(files, { lesson, warmSandbox: false });
    const warm = await warmRun(files, { lesson });
    expect(outputOf(warm, 'main.py')).toBe('[true]\n');
    expect(outputOf(warm, 'main.py')).toBe(outputOf(cold, 'main.py'));
  });

  it('pickles __main__ classes, joins threads at exit, runs atexit, shows warnings', async () => {
    const warm = await expectSame({
      'main.py': py`
        import atexit, pickle, threading, time, warnings
        class Point:
            pass
        print(type(pickle.loads(pickle.dumps(Point()))))
        warnings.warn("careful")
        warnings.warn("old", DeprecationWarning)
        def late():
            time.sleep(0.2)
            print("thread done", pickle.loads(pickle.dumps(Point())).__class__.__module__)
        threading.Thread(target=late).start()
        atexit.register(print, "atexit")
        print("main done")
      `,
    });
    expect(warm.stdout).toBe("<class '__main__.Point'>\nmain done\nthread done __main__\natexit\n");
    expect(warm.stderr).toContain('/app/main.py:5: UserWarning: careful');
  });

  it('ends like Python: a traceback without bootstrap frames and status 1', async () => {
    const warm = await expectSame({
      'main.py': py`
        print("before")
        def fail():
            raise ValueError("boom")
        fail()
      `,
    });
    expect(warm.exitCode).toBe(1);
    expect(warm.stderr).toBe(
      'Traceback (most recent call last):\n' +
        '  File "/app/main.py", line 4, in <module>\n    fail()\n' +
        '  File "/app/main.py", line 3, in fail\n    raise ValueError("boom")\n' +
        'ValueError: boom\n',
    );
  });

  it.each([
    ['sys.exit(3)', 3],
    ['sys.exit("bye")', 1],
    ['sys.exit()', 0],
    ['raise KeyboardInterrupt', null],
    ['os._exit(7)', 7],
  ])('exits as Python does after %s', async (statement, code) => {
    const warm = await expectSame({ 'main.py': `import os, sys\nprint("hi")\n${statement}\n` });
    expect(warm.exitCode).toBe(code);
  });

  it('reports a syntax error in Python’s own words', async () => {
    const warm = await expectSame({ 'main.py': 'print(1)\nprint((\n' });
    expect(warm.stderr).toContain('SyntaxError');
    expect(warm.stderr).not.toContain('Traceback');
  });

  it('reads stdin from its first byte and writes unbuffered, interleaved output', async () => {
    const warm = await expectSame(
      {
        'main.py': py`
          import sys
          for line in sys.stdin:
              print("got", line.strip())
              print("err", line.strip(), file=sys.stderr)
          print(repr(sys.stdin.read()))
        `,
      },
      { stdin: { 'main.py': 'one\ntwo\n' } },
    );
    expect(warm.stdout).toBe("got one\ngot two\n''\n");
  });

  it('lets a learner file shadow a module it imported ahead, as plain Python does', async () => {
    const warm = await expectSame({
      // Cold, asyncio would then import this socket.py too, and fail on it: so does warm.
      'main.py': 'import socket\nprint(socket.WHO)\nimport asyncio\n',
      'socket.py': 'WHO = "mine"\n',
    });
    expect(warm.stdout).toBe('mine\n');
  });

  it('runs a program named like a module it imported ahead', async () => {
    const warm = await expectSame({ 'json.py': 'import json\nprint(json.__file__)\n' });
    expect(warm.stdout).toBe('/app/json.py\n/app/json.py\n');
  });

  it('gets Ctrl-C as a cold start does', async () => {
    const interruptWhenReady: TestRunOptions['onEvent'] = (event, handle) => {
      if (event.type === 'output' && event.data.includes('ready')) handle.interrupt('main.py');
    };
    const files = { 'main.py': 'import time\nprint("ready")\ntime.sleep(5)\n' };
    // Where the signal lands (line 2 or 3) is the moment's: the rest must agree.
    const { cold, warm } = await coldAndWarm(files, { onEvent: interruptWhenReady });
    const shown = ({ processes: [first] }: typeof cold) => ({
      ...first,
      stderr: first!.stderr.replace(/line \d+, in <module>\n.*\n/, 'line N\n'),
    });
    expect(shown(warm)).toEqual(shown(cold));
    expect(warm.processes[0]).toMatchObject({ signal: 'SIGINT', stdout: 'ready\n' });
    expect(warm.processes[0]!.stderr).toMatch(
      /^Traceback \(most recent call last\):\n {2}File "\/app\/main\.py", line [23], in <module>\n.*\nKeyboardInterrupt\n$/,
    );
  });

  it('counts against the run’s process and CPU limits from its first moment', async () => {
    const threads = py`
      import threading, time
      made = 0
      try:
          while True:
              threading.Thread(target=time.sleep, args=(3,), daemon=True).start()
              made += 1
      except RuntimeError:
          time.sleep(1)  # the run's monitor sees the limit hit (it looks every 50 ms)
    `;
    const many = await coldAndWarm({ 'main.py': threads }, { limits: { pids: 16 } });
    expect([many.cold.reason, many.warm.reason]).toEqual(['process-limit', 'process-limit']);
    const spin = await coldAndWarm(
      { 'main.py': 'while True:\n    pass\n' },
      { limits: { cpuSeconds: 1 } },
    );
    expect(spin.warm.reason).toBe('cpu-limit');
    expect(spin.warm).toEqual(spin.cold);
  });
});
