/**
 * Lesson runs through startRun: checks judge the finished run (pass, fail, a broken check is an
 * error), a lesson's time request is clamped to the server's bounds, and runs side by side get
 * separate sandboxes.
 */
import { describe, expect, it } from 'vitest';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import { eventOf, expectNothingLeft, outputOf, py, runFiles } from './sandbox-harness.ts';

const lesson: LessonDefinition = {
  processes: [{ peer: 'tcp-echo', name: 'echo', port: 8080 }, { file: 'client.py' }],
  limits: { wallSeconds: 5 },
  checks: [
    {
      id: 'echo-seen',
      title: { en: 'The echo server got your message', zh: '回显服务器收到了消息' },
      run: (run, t) => {
        const got = run.reports.filter((r) => r.event === 'received').map((r) => String(r.data));
        return got.length > 0
          ? { pass: true, message: t({ en: `got ${got.join('')}`, zh: `收到 ${got.join('')}` }) }
          : {
              pass: false,
              message: t({ en: 'nothing arrived', zh: '什么也没收到' }),
              details: run.processes['client.py']?.stderr,
            };
      },
    },
    {
      id: 'clean-exit',
      title: { en: 'The client exits 0', zh: '客户端退出码为 0' },
      run: (run) => ({
        pass: run.processes['client.py']?.exitCode === 0,
        message: `exit ${run.processes['client.py']?.exitCode}`,
      }),
    },
    {
      id: 'broken',
      title: { en: 'A broken check', zh: '坏的检查' },
      run: () => {
        throw new Error('bug in the check');
      },
    },
  ],
};

describe('lesson runs', () => {
  it('runs the checks on the finished run and reports pass, fail and error', async () => {
    const good = await runFiles(
      {
        'client.py':
          'import socket\ns = socket.create_connection(("127.0.0.1", 8080))\ns.sendall(b"hey")\nprint(s.recv(9))\n',
      },
      { lesson },
    );
    expect(eventOf(good, 'checks').results.map((r) => [r.id, r.status, r.message])).toEqual([
      ['echo-seen', 'pass', 'got hey'],
      ['clean-exit', 'pass', 'exit 0'],
      [
        'broken',
        'error',
        'This check is broken (a problem with the lesson, not your code); its error is in the details.',
      ],
    ]);
    expect(eventOf(good, 'checks').results[2]!.details).toBe('bug in the check');
    const types = good.events.map((event) => event.type);
    expect(types.indexOf('checks')).toBe(types.length - 2);
    expectNothingLeft(good.info);

    const bad = await runFiles(
      { 'client.py': 'raise SystemExit("no network today")\n' },
      { lesson },
    );
    expect(eventOf(bad, 'checks').results.map((r) => r.status)).toEqual(['fail', 'fail', 'error']);
    expect(eventOf(bad, 'checks').results[0]!.details).toContain('no network today');
    expectNothingLeft(bad.info);
  });

  it("applies a lesson's time limit, clamped to the server's bounds", async () => {
    const short: LessonDefinition = {
      processes: [{ file: 'wait.py' }],
      limits: { wallSeconds: 0.2 },
    };
    const run = await runFiles({ 'wait.py': 'import time\ntime.sleep(30)\n' }, { lesson: short });
    expect(eventOf(run, 'run-started').limits.wallSeconds).toBe(1);
    expect(eventOf(run, 'run-finished')).toMatchObject({
      reason: 'time-limit',
      notice: { code: 'time-limit', params: { seconds: 1 } },
    });
    expectNothingLeft(run.info);
  });

  it('lets a lesson ask for more tasks, within the bounds: 100 threads need more than 64', async () => {
    const threads = py`
      import threading, time
      done = threading.Event()
      workers = [threading.Thread(target=done.wait) for _ in range(100)]
      try:
          for worker in workers:
              worker.start()
          print("started", threading.active_count())
      finally:
          done.set()
    `;
    const ask = (pids?: number): LessonDefinition => ({
      processes: [{ file: 'threads.py' }],
      limits: pids === undefined ? {} : { pids },
    });
    const roomy = await runFiles({ 'threads.py': threads }, { lesson: ask(128) });
    expect(outputOf(roomy, 'threads.py')).toBe('started 101\n');
    const tight = await runFiles({ 'threads.py': threads }, { lesson: ask() });
    expect(outputOf(tight, 'threads.py')).not.toContain('started');
    expect(outputOf(tight, 'threads.py', 'stderr')).toMatch(/can't start new thread/);
  });

  it('starts the next process when the previous one exits, or at once with startNext', async () => {
    const files = { 'slow.py': 'import time\ntime.sleep(0.8)\n', 'quick.py': 'print("hi")\n' };
    const order = (startNext?: 'at-once'): LessonDefinition => ({
      processes: [{ file: 'slow.py', ...(startNext && { startNext }) }, { file: 'quick.py' }],
    });
    const gap = (run: Awaited<ReturnType<typeof runFiles>>) =>
      eventOf(run, 'process-started', 'quick.py').at -
      eventOf(run, 'process-started', 'slow.py').at;
    expect(gap(await runFiles(files, { lesson: order() }))).toBeGreaterThanOrEqual(800);
    expect(gap(await runFiles(files, { lesson: order('at-once') }))).toBeLessThan(400);
  });

  it('gives runs side by side their own namespace, uids and loopback', async () => {
    const server = py`
      import socket
      with socket.create_server(("127.0.0.1", 8080)) as server:
          conn, _ = server.accept()
          conn.sendall(open("/app/id.py").read().encode())
    `;
    const client =
      'import socket\nprint(socket.create_connection(("127.0.0.1", 8080)).recv(100).decode())\n';
    const runs = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        runFiles(
          { 'server.py': server, 'client.py': client, 'id.py': `run ${n}` },
          { lesson: { processes: [{ file: 'server.py' }, { file: 'client.py' }] } },
        ),
      ),
    );
    runs.forEach((run, index) => expect(outputOf(run, 'client.py')).toBe(`run ${index + 1}\n`));
    expect(new Set(runs.map((run) => run.info.netns)).size).toBe(4);
    expect(new Set(runs.map((run) => run.info.learnerUid)).size).toBe(4);
    for (const run of runs) expectNothingLeft(run.info);
  });
});
