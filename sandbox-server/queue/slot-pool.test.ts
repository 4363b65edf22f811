import { describe, expect, it } from 'vitest';
import { SlotPool, type QueueWaiter, type Slot } from './slot-pool.ts';

/** A fake run waiting for a slot that records what the pool told it. */
function fakeRun(): QueueWaiter & { positions: number[]; slot: Slot | null } {
  const run = {
    positions: [] as number[],
    slot: null as Slot | null,
    onPosition: (position: number) => run.positions.push(position),
    onSlot: (slot: Slot) => {
      run.slot = slot;
    },
  };
  return run;
}

function granted(pool: SlotPool): Slot {
  const answer = pool.request(fakeRun());
  if (answer.kind !== 'granted') throw new Error(`expected a slot, got ${answer.kind}`);
  return answer.slot;
}

describe('SlotPool', () => {
  it('grants distinct slots at once while some are free', () => {
    const pool = new SlotPool({ slots: 2, queueMax: 5 });
    expect([granted(pool).index, granted(pool).index]).toEqual([0, 1]);
    expect(pool.busy).toBe(2);
  });

  it('queues in FIFO order and hands a released slot to the head', () => {
    const pool = new SlotPool({ slots: 1, queueMax: 5 });
    const first = granted(pool);
    const a = fakeRun();
    const b = fakeRun();
    expect(pool.request(a)).toMatchObject({ kind: 'queued', position: 1 });
    expect(pool.request(b)).toMatchObject({ kind: 'queued', position: 2 });
    first.release();
    expect(a.slot?.index).toBe(0);
    expect(b.slot).toBeNull();
    expect(b.positions).toEqual([1]);
    a.slot!.release();
    expect(b.slot?.index).toBe(0);
  });

  it('updates the positions of everyone behind a cancelled waiter', () => {
    const pool = new SlotPool({ slots: 1, queueMax: 5 });
    granted(pool);
    const runs = [fakeRun(), fakeRun(), fakeRun()];
    const answers = runs.map((run) => pool.request(run));
    const second = answers[1]!;
    if (second.kind !== 'queued') throw new Error('expected queued');
    second.cancel();
    expect(runs[0]!.positions).toEqual([]);
    expect(runs[2]!.positions).toEqual([2]);
    expect(pool.waiting).toBe(2);
    second.cancel();
    expect(pool.waiting).toBe(2);
  });

  it('answers full with a retry estimate when the queue is full', () => {
    const pool = new SlotPool({ slots: 1, queueMax: 1, initialHoldSeconds: 3 });
    granted(pool);
    pool.request(fakeRun());
    const answer = pool.request(fakeRun());
    expect(answer.kind).toBe('full');
    if (answer.kind === 'full') expect(answer.retryAfterSeconds).toBe(6);
  });

  it('learns the retry estimate from real hold times', () => {
    let now = 0;
    const pool = new SlotPool({ slots: 1, queueMax: 0, initialHoldSeconds: 10, now: () => now });
    for (let i = 0; i < 40; i++) {
      const slot = granted(pool);
      now += 500;
      slot.release();
    }
    granted(pool);
    const answer = pool.request(fakeRun());
    expect(answer).toEqual({ kind: 'full', retryAfterSeconds: 1 });
  });

  it('ignores a second release of the same slot', () => {
    const pool = new SlotPool({ slots: 1, queueMax: 5 });
    const slot = granted(pool);
    slot.release();
    slot.release();
    expect(pool.busy).toBe(0);
    granted(pool);
    expect(pool.request(fakeRun()).kind).toBe('queued');
  });

  it('takes the slot back when a waiter throws on grant', () => {
    const errors: unknown[] = [];
    const pool = new SlotPool({ slots: 1, queueMax: 5, onCallbackError: (e) => errors.push(e) });
    const first = granted(pool);
    const throwing: QueueWaiter = {
      onPosition: () => {},
      onSlot: () => {
        throw new Error('boom');
      },
    };
    pool.request(throwing);
    const next = fakeRun();
    pool.request(next);
    first.release();
    expect(errors).toHaveLength(1);
    expect(next.slot?.index).toBe(0);
  });

  it('does not let a newcomer jump the queue when a slot frees', () => {
    const pool = new SlotPool({ slots: 2, queueMax: 5 });
    const a = granted(pool);
    granted(pool);
    const waiting = fakeRun();
    pool.request(waiting);
    a.release();
    expect(waiting.slot?.index).toBe(0);
    expect(pool.request(fakeRun()).kind).toBe('queued');
  });

  it('refuses nonsense sizes', () => {
    expect(() => new SlotPool({ slots: 0, queueMax: 1 })).toThrow(/slots/);
    expect(() => new SlotPool({ slots: 1, queueMax: -1 })).toThrow(/queueMax/);
  });
});
