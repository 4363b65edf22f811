import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../lib/protocol.ts';
import { exitCodeFor } from './exit-code.ts';
import { TextRenderer } from './text-output.ts';

const runId = 'cli-test-1';

function render(events: RunEvent[]): { out: string; err: string } {
  let out = '';
  let err = '';
  const renderer = new TextRenderer({
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
  });
  for (const event of events) renderer.handle(event);
  return { out, err };
}

const started: RunEvent = {
  type: 'run-started',
  seed: 7,
  runId,
  processes: [
    { name: 'client.py', kind: 'learner', label: 'client.py' },
    { name: 'peer:echo', kind: 'peer', label: 'peer: echo' },
  ],
  limits: { wallSeconds: 10, outputBytes: 1024 },
};

const output = (
  process: string,
  data: string,
  stream: 'stdout' | 'stderr' = 'stdout',
): RunEvent => ({
  type: 'output',
  runId,
  process,
  stream,
  data,
});

describe('TextRenderer', () => {
  it('sums up the faults by action with the seed that repeats them', () => {
    const fault = (action: 'dropped' | 'delayed', index: number): RunEvent => ({
      type: 'fault',
      runId,
      process: 'peer:relay',
      t: 1,
      proto: 'udp',
      action,
      from: '127.0.0.1:40000',
      to: '127.0.0.1:9000',
      index,
      bytes: 6,
      note: {
        code: 'fault-datagram-reordered',
        params: { index, from: '127.0.0.1:40000', after: index + 1 },
      },
    });
    const finished: RunEvent = {
      type: 'run-finished',
      runId,
      reason: 'completed',
      notice: { code: 'run-completed', params: {} },
      durationMs: 5,
    };
    const { out } = render([
      started,
      fault('dropped', 2),
      fault('delayed', 3),
      fault('dropped', 5),
      finished,
    ]);
    expect(out).toBe('faults: 2 dropped, 1 delayed (seed 7: --seed 7 repeats them)\n');
    expect(render([started, finished]).out).toBe('');
  });

  it('prefixes whole lines with the aligned process name, joining split chunks', () => {
    const { out } = render([
      started,
      output('client.py', 'hel'),
      output('client.py', 'lo\nwor'),
      output('peer:echo', 'x\n'),
    ]);
    expect(out).toBe('client.py | hello\npeer:echo | x\n');
  });

  it('sends program stderr to stderr and flushes a last line without newline at exit', () => {
    const { out, err } = render([
      started,
      output('client.py', 'Traceback\n', 'stderr'),
      output('client.py', 'no newline'),
      {
        type: 'process-exited',
        runId,
        process: 'client.py',
        end: 'exited',
        exitCode: 1,
        signal: null,
        durationMs: 120,
      },
    ]);
    expect(err).toBe('client.py | Traceback\n');
    expect(out).toBe('client.py | no newline\n');
  });

  it('ends with one status line per process, the reason when abnormal, and the checks', () => {
    const { out } = render([
      started,
      {
        type: 'process-exited',
        runId,
        process: 'client.py',
        end: 'killed',
        exitCode: null,
        signal: 'SIGKILL',
        durationMs: 10_000,
      },
      {
        type: 'process-exited',
        runId,
        process: 'peer:echo',
        end: 'stopped',
        exitCode: null,
        signal: 'SIGKILL',
        durationMs: 10_000,
      },
      {
        type: 'checks',
        runId,
        results: [
          { id: 'a', title: 'Echo', status: 'pass', message: 'ok' },
          { id: 'b', title: 'Close', status: 'fail', message: 'no close', details: 'line1\nline2' },
        ],
      },
      {
        type: 'run-finished',
        runId,
        reason: 'time-limit',
        notice: { code: 'time-limit', params: { seconds: 10 } },
        durationMs: 10_000,
      },
    ]);
    expect(out).toBe(
      [
        'client.py: killed by SIGKILL after 10.00 s',
        'peer:echo: stopped at the end of the run (still serving) after 10.00 s',
        'run: Time limit of 10 s reached: the run was stopped.',
        '✓ Echo: ok',
        '✗ Close: no close',
        '    line1',
        '    line2',
        '',
      ].join('\n'),
    );
  });

  it('says under a process killed at the time limit what each thread was blocked in', () => {
    const { out } = render([
      started,
      {
        type: 'process-exited',
        runId,
        process: 'client.py',
        end: 'killed',
        exitCode: null,
        signal: 'SIGKILL',
        durationMs: 2000,
        blocked: [
          {
            call: 'recv',
            syscall: 'recvfrom',
            socket: {
              proto: 'tcp',
              local: '127.0.0.1:41234',
              remote: '127.0.0.1:8080',
              state: 'ESTABLISHED',
            },
          },
          {
            call: 'accept',
            syscall: 'accept4',
            socket: { proto: 'tcp', local: '0.0.0.0:9000', state: 'LISTEN' },
          },
          { call: 'select', syscall: 'poll' },
        ],
      },
      {
        type: 'run-finished',
        runId,
        reason: 'completed',
        notice: { code: 'time-limit', params: { seconds: 2 } },
        durationMs: 2000,
      },
    ]);
    expect(out).toBe(
      [
        'client.py: killed by SIGKILL after 2.00 s',
        '  blocked in recv (recvfrom) on tcp 127.0.0.1:41234 → 127.0.0.1:8080 ESTABLISHED',
        '  blocked in accept (accept4) on tcp 0.0.0.0:9000 LISTEN',
        '  blocked in select (poll)',
        '',
      ].join('\n'),
    );
  });
});

describe('exitCodeFor', () => {
  const learner = (end: 'exited' | 'stopped' | 'killed', exitCode: number | null) => ({
    name: 'a.py',
    kind: 'learner' as const,
    stdout: '',
    stderr: '',
    end,
    exitCode,
    signal: null,
    durationMs: 1,
    reports: [],
  });
  const record = (
    process: ReturnType<typeof learner>,
    reason: 'completed' | 'time-limit' = 'completed',
  ) => ({
    reason,
    processes: { 'a.py': process },
    reports: [],
    faults: [],
    seed: 0,
  });

  it('is 0 for learner processes that exited 0 or were stopped servers', () => {
    expect(exitCodeFor(record(learner('exited', 0)), [])).toBe(0);
    expect(exitCodeFor(record(learner('stopped', null)), [])).toBe(0);
  });

  it('is 1 for a failing exit, a kill, a limit or a failed check', () => {
    expect(exitCodeFor(record(learner('exited', 1)), [])).toBe(1);
    expect(exitCodeFor(record(learner('killed', null), 'time-limit'), [])).toBe(1);
    expect(
      exitCodeFor(record(learner('exited', 0)), [
        { id: 'x', title: 'x', status: 'fail', message: '' },
      ]),
    ).toBe(1);
  });
});
