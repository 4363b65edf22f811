import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../../lib/protocol.ts';
import { OUTPUT_ENTRY_COST, Outbox, type OutboxOptions } from './outbox.ts';

/** A socket whose buffer the test fills and empties by hand. */
function fakeSocket() {
  return {
    bufferedAmount: 0,
    readyState: 1,
    sent: [] as ServerMessage[],
    send(data: string) {
      this.sent.push(JSON.parse(data));
    },
  };
}

const RUN = 'run-aaaaaaaa';
const out = (data: string, stream: 'stdout' | 'stderr' = 'stdout'): ServerMessage => ({
  type: 'output',
  runId: RUN,
  process: 'main.py',
  stream,
  data,
});
const finished: ServerMessage = {
  type: 'run-finished',
  runId: RUN,
  reason: 'completed',
  notice: { code: 'run-completed', params: {} },
  durationMs: 5,
};
/** Room for exactly five held 10-character chunks. */
const FIVE_CHUNKS = 5 * (10 + OUTPUT_ENTRY_COST);
const options: OutboxOptions = {
  highWaterBytes: 100,
  maxPendingBytes: FIVE_CHUNKS,
  coalesceMs: 20,
  maxFrameChars: 16,
};

describe('Outbox', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('writes the first output at once, then coalesces within the window', () => {
    const socket = fakeSocket();
    const outbox = new Outbox(socket, options);
    outbox.push(out('a'));
    expect(socket.sent).toEqual([out('a')]);
    outbox.push(out('b'));
    outbox.push(out('c'));
    expect(socket.sent).toHaveLength(1);
    vi.advanceTimersByTime(20);
    expect(socket.sent).toEqual([out('a'), out('bc')]);
  });

  it('keeps events in order: pending output goes before the end of the run', () => {
    const socket = fakeSocket();
    const outbox = new Outbox(socket, options);
    outbox.push(out('a'));
    outbox.push(out('b'));
    outbox.push(finished);
    expect(socket.sent).toEqual([out('a'), out('b'), finished]);
  });

  it('never merges different streams', () => {
    const socket = fakeSocket();
    const outbox = new Outbox(socket, options);
    outbox.push(out('x'));
    outbox.push(out('1'));
    outbox.push(out('2', 'stderr'));
    vi.advanceTimersByTime(20);
    expect(socket.sent.slice(1)).toEqual([out('1'), out('2', 'stderr')]);
  });

  it('splits output into frames no longer than the frame cap', () => {
    const socket = fakeSocket();
    new Outbox(socket, options).push(out('x'.repeat(40)));
    expect(socket.sent.map((m) => (m.type === 'output' ? m.data.length : 0))).toEqual([16, 16, 8]);
  });

  it('holds output while the socket is full and drops the excess behind one note', () => {
    const socket = fakeSocket();
    const outbox = new Outbox(socket, options);
    socket.bufferedAmount = 1000;
    for (let i = 0; i < 100; i++) outbox.push(out('0123456789'));
    expect(outbox.pendingBytes).toBe(FIVE_CHUNKS);
    expect(outbox.pendingControl).toBe(0);
    outbox.push(finished);
    vi.advanceTimersByTime(1000);
    expect(socket.sent).toEqual([]);
    socket.bufferedAmount = 0;
    vi.advanceTimersByTime(10);
    expect(socket.sent.slice(5)).toEqual([
      {
        type: 'output-skipped',
        runId: RUN,
        process: 'main.py',
        stream: 'stdout',
        characters: 950,
        notice: { code: 'output-skipped', params: { characters: 950 } },
      },
      finished,
    ]);
    const text = socket.sent.map((m) => (m.type === 'output' ? m.data : `<${m.type}>`)).join('');
    expect(text).toBe('0123456789'.repeat(5) + '<output-skipped><run-finished>');
    expect(outbox.pendingBytes).toBe(0);
  });

  it('bounds the frames held, not only the characters, when tiny chunks interleave', () => {
    const socket = fakeSocket();
    const outbox = new Outbox(socket, { ...options, maxPendingBytes: 64 * 1024 });
    socket.bufferedAmount = 1000;
    for (let i = 0; i < 100_000; i++) outbox.push(out('x', i % 2 ? 'stdout' : 'stderr'));
    expect(outbox.pendingBytes).toBeLessThanOrEqual(64 * 1024);
    socket.bufferedAmount = 0;
    vi.advanceTimersByTime(10);
    expect(socket.sent.length).toBeLessThanOrEqual((64 * 1024) / OUTPUT_ENTRY_COST + 2);
  });

  it('puts output that fits again after the note, not before it', () => {
    const socket = fakeSocket();
    const outbox = new Outbox(socket, { ...options, maxPendingBytes: 10 + OUTPUT_ENTRY_COST });
    socket.bufferedAmount = 1000;
    outbox.push(out('0123456789'));
    outbox.push(out('lost'));
    socket.bufferedAmount = 0;
    vi.advanceTimersByTime(10);
    socket.bufferedAmount = 1000;
    outbox.push(out('later'));
    socket.bufferedAmount = 0;
    vi.advanceTimersByTime(30);
    const text = socket.sent
      .map((m) =>
        m.type === 'output' ? m.data : m.type === 'output-skipped' ? `<${m.characters}>` : '',
      )
      .join('');
    expect(text).toBe('0123456789<4>later');
  });

  it('keeps only the newest queue position of a run', () => {
    const socket = fakeSocket();
    const outbox = new Outbox(socket, options);
    socket.bufferedAmount = 1000;
    for (const position of [3, 2, 1]) outbox.push({ type: 'queued', runId: RUN, position });
    socket.bufferedAmount = 0;
    vi.advanceTimersByTime(10);
    expect(socket.sent).toEqual([{ type: 'queued', runId: RUN, position: 1 }]);
  });

  it('tells when it has drained, so the connection can read again', () => {
    const socket = fakeSocket();
    const outbox = new Outbox(socket, options);
    const drained = vi.fn();
    outbox.onDrain = drained;
    socket.bufferedAmount = 1000;
    outbox.push(finished);
    expect(drained).not.toHaveBeenCalled();
    socket.bufferedAmount = 0;
    vi.advanceTimersByTime(10);
    expect(drained).toHaveBeenCalledOnce();
  });

  it('writes nothing to a closed socket and forgets what was pending', () => {
    const socket = fakeSocket();
    const outbox = new Outbox(socket, options);
    socket.readyState = 3;
    outbox.push(out('a'));
    expect(socket.sent).toEqual([]);
    expect(outbox.pendingBytes).toBe(0);
  });
});
