/**
 * The core loop through the real sandbox: live output, two learner processes talking over the
 * run's loopback, stdin with EOF, Ctrl-C, and that every run leaves nothing behind.
 */
import { describe, expect, it } from 'vitest';
import {
  eventOf,
  expectNothingLeft,
  outputOf,
  processesOfUid,
  py,
  runFiles,
} from './sandbox-harness.ts';

describe('a run', () => {
  it('streams output while the program is still running', async () => {
    const run = await runFiles({
      'slow.py': py`
        import time
        print("first")
        time.sleep(1)
        print("second")
      `,
    });
    const exited = eventOf(run, 'process-exited', 'slow.py');
    // print() writes the text and its newline apart: a loaded machine may send them in two events.
    const early = run.events.filter(
      (event): event is Extract<typeof event, { type: 'output' }> =>
        event.type === 'output' && event.at < exited.at - 800,
    );
    expect(new Set(early.map((event) => `${event.process} ${event.stream}`))).toEqual(
      new Set(['slow.py stdout']),
    );
    expect(early.map((event) => event.data).join('')).toBe('first\n');
    expect(outputOf(run, 'slow.py')).toBe('first\nsecond\n');
    expect(run.record.reason).toBe('completed');
    expectNothingLeft(run.info);
  });

  it('emits run-started, process-started, process-exited and run-finished in order', async () => {
    const run = await runFiles({ 'hello.py': 'print("hi")' });
    // Consecutive output events count once: a loaded machine may split "hi\n" in two.
    const types = run.events
      .map((event) => event.type)
      .filter((type, i, all) => type !== all[i - 1]);
    expect(types).toEqual([
      'run-started',
      'process-started',
      'output',
      'process-exited',
      'run-finished',
    ]);
    expect(eventOf(run, 'run-started').processes).toEqual([
      { name: 'hello.py', kind: 'learner', label: 'hello.py' },
    ]);
    expect(eventOf(run, 'process-exited')).toMatchObject({
      end: 'exited',
      exitCode: 0,
      signal: null,
    });
    expect(eventOf(run, 'run-finished')).toMatchObject({ reason: 'completed' });
    expectNothingLeft(run.info);
  });

  it('reports a failing program as a normal result with its exit code and traceback', async () => {
    const run = await runFiles({ 'bad.py': 'raise SystemExit(3)\n', 'oops.py': '1/0\n' });
    expect(eventOf(run, 'process-exited', 'bad.py')).toMatchObject({ end: 'exited', exitCode: 3 });
    expect(eventOf(run, 'process-exited', 'oops.py')).toMatchObject({ end: 'exited', exitCode: 1 });
    expect(outputOf(run, 'oops.py', 'stderr')).toContain('ZeroDivisionError');
    expect(run.record.reason).toBe('completed');
    expectNothingLeft(run.info);
  });

  it('lets a server.py and a client.py talk over the run loopback, started in that order', async () => {
    const run = await runFiles({
      'server.py': py`
        import socket
        with socket.create_server(("127.0.0.1", 8080)) as server:
            print("listening", flush=True)
            conn, _ = server.accept()
            with conn:
                conn.sendall(conn.recv(100).upper())
      `,
      'client.py': py`
        import socket
        with socket.create_connection(("localhost", 8080)) as sock:
            sock.sendall(b"ping")
            print(sock.recv(100).decode())
      `,
    });
    expect(outputOf(run, 'client.py')).toBe('PING\n');
    expect(eventOf(run, 'process-exited', 'server.py')).toMatchObject({
      end: 'exited',
      exitCode: 0,
    });
    expect(eventOf(run, 'process-exited', 'client.py')).toMatchObject({
      end: 'exited',
      exitCode: 0,
    });
    expectNothingLeft(run.info);
  });

  it('stops a server that is still listening once its client is done, as stopped (not failed)', async () => {
    const run = await runFiles({
      'server.py': py`
        import socket
        server = socket.create_server(("127.0.0.1", 8081))
        while True:
            conn, _ = server.accept()
            conn.sendall(b"hi")
            conn.close()
      `,
      'client.py': py`
        import socket
        print(socket.create_connection(("127.0.0.1", 8081)).recv(10))
      `,
    });
    expect(outputOf(run, 'client.py')).toBe("b'hi'\n");
    expect(eventOf(run, 'process-exited', 'server.py')).toMatchObject({ end: 'stopped' });
    expect(run.record.reason).toBe('completed');
    expectNothingLeft(run.info);
  });

  it('feeds stdin text and then EOF', async () => {
    const run = await runFiles(
      {
        'echo.py': py`
          import sys
          name = input("name? ")
          print("hello", name)
          print("rest:", repr(sys.stdin.read()))
        `,
      },
      { stdin: { 'echo.py': 'Ada\nmore\n' } },
    );
    expect(outputOf(run, 'echo.py')).toBe("name? hello Ada\nrest: 'more\\n'\n");
    expectNothingLeft(run.info);
  });

  it('turns interrupt() into a KeyboardInterrupt in the program, as Ctrl-C would', async () => {
    const run = await runFiles(
      { 'wait.py': 'import time\nprint("ready", flush=True)\ntime.sleep(30)\n' },
      {
        onEvent: (event, handle) => {
          if (event.type === 'output' && event.data.includes('ready')) handle.interrupt('wait.py');
        },
      },
    );
    expect(outputOf(run, 'wait.py', 'stderr')).toContain('KeyboardInterrupt');
    expect(eventOf(run, 'process-exited', 'wait.py')).toMatchObject({
      end: 'exited',
      signal: 'SIGINT',
    });
    expectNothingLeft(run.info);
  });

  it('keeps stdin open until eof() when no stdin text was given', async () => {
    const run = await runFiles(
      { 'cat.py': 'import sys\nprint("go", flush=True)\nprint(sys.stdin.read().upper())\n' },
      {
        onEvent: (event, handle) => {
          if (event.type !== 'output' || event.data !== 'go\n') return;
          handle.stdin('cat.py', 'typed\n');
          handle.eof('cat.py');
        },
      },
    );
    expect(outputOf(run, 'cat.py')).toBe('go\nTYPED\n\n');
    expectNothingLeft(run.info);
  });

  it('ends with reason stopped when stop() is called, killing what runs and orphaning nothing', async () => {
    const run = await runFiles(
      {
        'forever.py':
          'import os, time\nos.fork()\nos.fork()\nprint("up", flush=True)\nwhile True: time.sleep(1)\n',
      },
      { onEvent: (event, handle) => event.type === 'output' && handle.stop() },
    );
    expect(eventOf(run, 'process-exited', 'forever.py')).toMatchObject({ end: 'killed' });
    expect(eventOf(run, 'run-finished')).toMatchObject({ reason: 'stopped' });
    // Not even a zombie left for the host's init to reap (a container without init never would).
    expect(processesOfUid(run.info.learnerUid)).toEqual([]);
    expectNothingLeft(run.info);
  });

  it('refuses input for a process that is not in the run', async () => {
    const run = await runFiles(
      { 'a.py': 'print(1)' },
      {
        onEvent: (event, handle) => {
          if (event.type === 'process-started')
            expect(() => handle.stdin('nope.py', 'x')).toThrow(/no process called/);
        },
      },
    );
    expectNothingLeft(run.info);
  });
});
