import { describe, expect, it } from 'vitest';
import { CaptureToken } from '../../lib/protocol.ts';
import { CaptureStore } from './capture-store.ts';

const MINUTE = 60_000;

function store(maxBytes = 1000) {
  const clock = { now: 0 };
  const captures = new CaptureStore({ maxBytes, ttlMs: 10 * MINUTE, now: () => clock.now });
  return { captures, clock };
}

const capture = (runId: string, size: number) => ({
  runId,
  fileName: `handshake-run-${runId}.pcap`,
  bytes: new Uint8Array(size).fill(7),
});

describe('CaptureStore', () => {
  it('serves a capture to its run id and token only, with a protocol-valid token', () => {
    const { captures } = store();
    const ticket = captures.put({}, capture('run-aaaaaaaa', 100))!;
    expect(CaptureToken.safeParse(ticket.token).success).toBe(true);
    expect(ticket.expiresInSeconds).toBe(600);
    expect(captures.get('run-aaaaaaaa', ticket.token)?.bytes).toHaveLength(100);
    expect(captures.get('run-bbbbbbbb', ticket.token)).toBeNull();
    expect(captures.get('run-aaaaaaaa', 'A'.repeat(22))).toBeNull();
  });

  it('gives every capture its own unguessable token, even for the same run id', () => {
    const { captures } = store(100_000);
    const tokens = new Set(
      Array.from({ length: 50 }, () => captures.put({}, capture('run-same0000', 10))!.token),
    );
    expect(tokens.size).toBe(50);
  });

  it('keeps one capture per owner: the next replaces it', () => {
    const { captures } = store();
    const owner = {};
    const first = captures.put(owner, capture('run-first000', 100))!;
    const second = captures.put(owner, capture('run-second00', 200))!;
    expect(captures.get('run-first000', first.token)).toBeNull();
    expect(captures.get('run-second00', second.token)).not.toBeNull();
    expect([captures.size, captures.bytes]).toEqual([1, 200]);
    captures.release(owner);
    expect(captures.get('run-second00', second.token)).toBeNull();
    expect([captures.size, captures.bytes]).toEqual([0, 0]);
  });

  it('forgets a capture once its time is up, on the next look or sweep', () => {
    const { captures, clock } = store();
    const a = captures.put({}, capture('run-aaaaaaaa', 100))!;
    clock.now = 5 * MINUTE;
    const b = captures.put({}, capture('run-bbbbbbbb', 100))!;
    clock.now = 10 * MINUTE - 1;
    expect(captures.get('run-aaaaaaaa', a.token)).not.toBeNull();
    clock.now = 10 * MINUTE;
    expect(captures.get('run-aaaaaaaa', a.token)).toBeNull();
    expect(captures.bytes).toBe(100);
    clock.now = 15 * MINUTE;
    captures.sweep();
    expect(captures.get('run-bbbbbbbb', b.token)).toBeNull();
    expect([captures.size, captures.bytes]).toEqual([0, 0]);
  });

  it('stays within its byte budget by dropping the oldest, and refuses what can never fit', () => {
    const { captures } = store(1000);
    const tickets = ['run-1aaaaaaa', 'run-2aaaaaaa', 'run-3aaaaaaa'].map(
      (runId) => [runId, captures.put({}, capture(runId, 400))!] as const,
    );
    expect(captures.bytes).toBe(800);
    const alive = () => tickets.map(([runId, t]) => captures.get(runId, t.token) !== null);
    expect(alive()).toEqual([false, true, true]);
    expect(captures.put({}, capture('run-big00000', 1001))).toBeNull();
    expect(captures.put({}, capture('run-all00000', 1000))).not.toBeNull();
    expect(alive()).toEqual([false, false, false]);
    expect(captures.bytes).toBe(1000);
  });
});
