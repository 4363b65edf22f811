import { describe, expect, it } from 'vitest';
import { RunId } from '../protocol.ts';
import type { Notice, ServerMessage } from '../protocol.ts';
import { applyEvent, connectionLost, IDLE, isActive, newRunId, startRun } from './run-state.ts';
import type { RunState } from './run-state.ts';

const RUN = 'run-aaaaaaaa';
const limits = { wallSeconds: 10, outputBytes: 65536 };
const DONE: Notice = { code: 'run-completed', params: {} };
const CAPPED: Notice = { code: 'capture-packet-limit', params: { packets: 10_000 } };
const FAULTS_CAPPED: Notice = { code: 'faults-truncated', params: { faults: 10_000 } };

function play(state: RunState, events: ServerMessage[], now = 1000): RunState {
  return events.reduce((s, e) => applyEvent(s, e, now), state);
}

const started: ServerMessage = {
  type: 'run-started',
  seed: 7,
  runId: RUN,
  limits,
  processes: [
    { name: 'server.py', kind: 'learner', label: 'server.py' },
    { name: 'peer:client', kind: 'peer', label: 'peer: client' },
  ],
};

describe('run state', () => {
  it('follows a run from queued to finished with per-process status and checks', () => {
    const state = play(startRun(RUN), [
      { type: 'queued', runId: RUN, position: 2 },
      started,
      { type: 'process-started', runId: RUN, process: 'server.py', at: 3 },
      {
        type: 'process-exited',
        runId: RUN,
        process: 'server.py',
        end: 'exited',
        exitCode: 0,
        signal: null,
        durationMs: 120,
      },
      {
        type: 'checks',
        runId: RUN,
        results: [{ id: 'echo', title: 'Echo', status: 'pass', message: 'ok' }],
      },
      { type: 'run-finished', runId: RUN, reason: 'completed', notice: DONE, durationMs: 130 },
    ]);
    expect(state.phase).toBe('finished');
    expect(state.limits).toEqual(limits);
    expect(state.processes[0]).toMatchObject({
      status: 'exited',
      exitCode: 0,
      durationMs: 120,
      startedAt: 1000,
    });
    expect(state.processes[1]).toMatchObject({ label: 'peer: client', status: 'waiting' });
    expect(state.checks).toHaveLength(1);
    expect(state.finished).toEqual({ reason: 'completed', notice: DONE, durationMs: 130 });
  });

  it('shows the queue position while waiting for a slot', () => {
    const state = play(startRun(RUN), [{ type: 'queued', runId: RUN, position: 3 }]);
    expect(state).toMatchObject({ phase: 'queued', queuePosition: 3 });
    expect(isActive(state)).toBe(true);
  });

  it('drops events of a run it has replaced', () => {
    const state = play(startRun(RUN), [{ ...started, runId: 'run-bbbbbbbb' }]);
    expect(state.phase).toBe('starting');
    expect(play(IDLE, [started])).toBe(IDLE);
  });

  it('ends the run with a problem when the server is busy', () => {
    const notice = {
      code: 'busy',
      params: { slots: 4, waiting: 10, retryAfterSeconds: 5 },
    } as const;
    const state = play(startRun(RUN), [{ type: 'busy', runId: RUN, retryAfterSeconds: 5, notice }]);
    expect(state.phase).toBe('finished');
    expect(state.problem).toEqual({ kind: 'busy', notice, retryAfterSeconds: 5 });
  });

  it('treats an error before the run starts as its end, and one during the run as a notice', () => {
    const refused = play(startRun(RUN), [
      {
        type: 'error',
        runId: RUN,
        code: 'unknown-lesson',
        notice: { code: 'unknown-lesson', params: { lesson: 'nope' } },
      },
    ]);
    expect(refused.phase).toBe('finished');
    const notice = play(startRun(RUN), [
      started,
      {
        type: 'error',
        runId: RUN,
        code: 'unknown-process',
        notice: { code: 'unknown-process', params: { process: 'client.py' } },
      },
    ]);
    expect(notice.phase).toBe('running');
    expect(notice.problem).toMatchObject({ code: 'unknown-process' });
  });

  it('marks a run in flight as lost when the connection drops', () => {
    const running = play(startRun(RUN), [
      started,
      { type: 'process-started', runId: RUN, process: 'server.py', at: 0 },
    ]);
    const lost = connectionLost(running);
    expect(lost.phase).toBe('finished');
    expect(lost.problem).toEqual({ kind: 'connection-lost' });
    expect(lost.processes.map((p) => p.status)).toEqual(['killed', 'killed']);
    expect(connectionLost(IDLE)).toBe(IDLE);
  });
});

describe('newRunId', () => {
  it('makes ids the protocol accepts, different each time', () => {
    const a = newRunId();
    expect(RunId.safeParse(a).success).toBe(true);
    expect(newRunId()).not.toBe(a);
  });

  it('keeps the capture’s truncation notice, and drops it with the next run', () => {
    const truncated = play(startRun(RUN), [
      started,
      {
        type: 'capture-truncated',
        runId: RUN,
        packets: 10_000,
        limit: 'packets',
        notice: CAPPED,
      },
    ]);
    expect(truncated.captureTruncated).toEqual({
      packets: 10_000,
      limit: 'packets',
      notice: CAPPED,
    });
    expect(truncated.phase).toBe('running');
    expect(startRun('run-bbbbbbbb').captureTruncated).toBeNull();
  });

  it('keeps the capture download of its own run only, with when it expires', () => {
    const ready = (runId: string): ServerMessage => ({
      type: 'capture-ready',
      runId,
      token: 'T'.repeat(22),
      packets: 13,
      bytes: 1234,
      truncated: false,
      expiresInSeconds: 600,
    });
    const state = play(startRun(RUN), [started, ready('run-stale000'), ready(RUN)], 5000);
    expect(state.capture).toEqual({
      token: 'T'.repeat(22),
      packets: 13,
      bytes: 1234,
      truncated: false,
      expiresAt: 605_000,
    });
    expect(play(startRun(RUN), [started, ready('run-stale000')]).capture).toBeNull();
    expect(startRun('run-bbbbbbbb').capture).toBeNull();
  });

  it('keeps the seed run-started told, and the faults’ truncation notice, until the next run', () => {
    expect(startRun(RUN).seed).toBeNull();
    const state = play(startRun(RUN), [
      { ...started, seed: 4294967295 } as ServerMessage,
      {
        type: 'fault',
        runId: RUN,
        process: 'peer:relay',
        t: 3,
        proto: 'udp',
        action: 'dropped',
        from: '127.0.0.1:40000',
        to: '127.0.0.1:9000',
        index: 1,
        bytes: 6,
        note: {
          code: 'fault-datagram-dropped',
          params: {
            index: 1,
            from: '127.0.0.1:40000',
            bytes: 6,
            toward: '127.0.0.1:9001',
            back: false,
            queueFull: false,
          },
        },
      },
      { type: 'faults-truncated', runId: RUN, faults: 10_000, notice: FAULTS_CAPPED },
    ]);
    expect(state.seed).toBe(4294967295);
    expect(state.faultsTruncated).toEqual(FAULTS_CAPPED);
    expect(state.phase).toBe('running');
    const next = startRun('run-bbbbbbbb');
    expect([next.seed, next.faultsTruncated]).toEqual([null, null]);
  });
});
