import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS } from '../limits.ts';
import type { PlannedProcess } from '../plan/plan.ts';
import type { WarmSandbox } from './warm-sandbox-make.ts';
import { REFILL_DELAY_MS, WarmSandboxes, type WarmSandboxesOptions } from './warm-sandboxes.ts';

const echoPlan: PlannedProcess[] = [
  {
    name: 'peer:echo',
    kind: 'peer',
    label: 'peer: echo',
    peer: { peer: 'tcp-echo', name: 'echo', port: 8080, options: {} },
  },
  { name: 'client.py', kind: 'learner', label: 'client.py', file: 'client.py' },
];
const greeterPlan: PlannedProcess[] = [
  {
    name: 'peer:greeter',
    kind: 'peer',
    label: 'peer: greeter',
    peer: { peer: 'tcp-greeter', name: 'greeter', port: 8080, options: {} },
  },
  { name: 'client.py', kind: 'learner', label: 'client.py', file: 'client.py' },
];

/** A pool over fake sandboxes whose makes finish when the test says so. */
function fakePool(overrides: Partial<WarmSandboxesOptions> = {}) {
  const pending: Array<() => void> = [];
  let made = 0;
  const busy = { runs: 0 };
  const discarded: WarmSandbox[] = [];
  const pool = new WarmSandboxes({
    perKind: 1,
    maxTotal: 10,
    make: () =>
      new Promise((resolve) => {
        pending.push(() => {
          made += 1;
          resolve({
            resources: { netns: `ns-${made}` },
            capture: null,
            peers: new Map(),
            pythons: new Map(),
          } as never);
        });
      }),
    discard: async (sandbox) => void discarded.push(sandbox),
    log: () => {},
    startingRuns: () => busy.runs,
    ...overrides,
  });
  /** Finishes every make in progress (and the ones they start), until none is left. */
  const finishAll = async (): Promise<void> => {
    while (pending.length > 0) {
      pending.shift()!();
      await new Promise((resolve) => setImmediate(resolve)); // let its then/finally run
    }
  };
  return { pool, pending, discarded, finishAll, busy, made: () => made };
}

describe('WarmSandboxes', () => {
  let dispose: (() => Promise<void>) | undefined;
  // The pool's clock (its timers and performance.now) is the test's to move. setImmediate stays
  // real, so finishAll can let promise callbacks run.
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'],
    });
  });
  afterEach(async () => {
    await dispose?.();
    dispose = undefined;
    vi.useRealTimers();
  });

  it('makes one per browser that shows a lesson, at most two at a time', async () => {
    const { pool, pending, finishAll, made } = fakePool();
    dispose = () => pool.dispose();
    pool.setDemand([{ plan: echoPlan, limits: DEFAULT_LIMITS, count: 6 }]);
    expect(pending).toHaveLength(2);
    await finishAll();
    expect(made()).toBe(6);
    expect(pool.readyCount).toBe(6);
    for (let i = 0; i < 6; i++) expect(pool.take(echoPlan, DEFAULT_LIMITS)).not.toBeNull();
    expect(pool.take(echoPlan, DEFAULT_LIMITS)).toBeNull();
  });

  it('never holds more than maxTotal, across lessons', async () => {
    const { pool, finishAll } = fakePool({ maxTotal: 5 });
    dispose = () => pool.dispose();
    pool.setDemand([
      { plan: echoPlan, limits: DEFAULT_LIMITS, count: 4 },
      { plan: greeterPlan, limits: DEFAULT_LIMITS, count: 4 },
    ]);
    await finishAll();
    expect(pool.readyCount).toBe(5);
    // Shared fairly: neither lesson is left without.
    expect(pool.take(echoPlan, DEFAULT_LIMITS)).not.toBeNull();
    expect(pool.take(greeterPlan, DEFAULT_LIMITS)).not.toBeNull();
  });

  it('gives back what is no longer wanted when browsers leave, keeping perKind', async () => {
    const { pool, finishAll, discarded } = fakePool({ perKind: 1 });
    dispose = () => pool.dispose();
    pool.setDemand([{ plan: echoPlan, limits: DEFAULT_LIMITS, count: 4 }]);
    await finishAll();
    pool.setDemand([]);
    expect(discarded).toHaveLength(3);
    expect(pool.readyCount).toBe(1);
  });

  it('keeps perKind for a kind that was run, without any demand', async () => {
    const { pool, pending, finishAll } = fakePool({ perKind: 2 });
    dispose = () => pool.dispose();
    expect(pool.take(echoPlan, DEFAULT_LIMITS)).toBeNull();
    // The refill waits a little, so the run that just started has the CPU to itself.
    await vi.advanceTimersByTimeAsync(REFILL_DELAY_MS - 1);
    expect(pending).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(pending).toHaveLength(2);
    await finishAll();
    expect(pool.readyCount).toBe(2);
  });

  it('makes no replacement while many runs are starting, then refills', async () => {
    const { pool, pending, finishAll, busy } = fakePool({ perKind: 1 });
    dispose = () => pool.dispose();
    pool.setDemand([{ plan: echoPlan, limits: DEFAULT_LIMITS, count: 3 }]);
    await finishAll();
    busy.runs = 5; // a class pressing Run together
    for (let i = 0; i < 3; i++) pool.take(echoPlan, DEFAULT_LIMITS);
    await vi.advanceTimersByTimeAsync(800);
    expect(pending).toHaveLength(0);
    busy.runs = 0;
    await vi.advanceTimersByTimeAsync(REFILL_DELAY_MS);
    expect(pending).toHaveLength(2); // two at a time once it is quiet
    await finishAll();
    expect(pool.readyCount).toBe(3);
  });

  it('makes sandboxes without peers even while many runs are starting', async () => {
    const plainPlan: PlannedProcess[] = [
      { name: 'main.py', kind: 'learner', label: 'main.py', file: 'main.py' },
    ];
    const { pool, pending, finishAll, busy } = fakePool({ perKind: 2 });
    dispose = () => pool.dispose();
    busy.runs = 10; // ten fork bombs just started
    expect(pool.take(plainPlan, DEFAULT_LIMITS)).toBeNull();
    expect(pool.take(echoPlan, DEFAULT_LIMITS)).toBeNull();
    await vi.advanceTimersByTimeAsync(REFILL_DELAY_MS);
    expect(pending).toHaveLength(2);
    await finishAll();
    expect(pool.take(plainPlan, DEFAULT_LIMITS)).not.toBeNull();
    expect(pool.take(plainPlan, DEFAULT_LIMITS)).not.toBeNull();
    expect(pool.take(echoPlan, DEFAULT_LIMITS)).toBeNull(); // still held for the burst
  });

  it('refills within two seconds even while many runs keep starting', async () => {
    const { pool, pending, finishAll, busy } = fakePool({ perKind: 1 });
    dispose = () => pool.dispose();
    busy.runs = 8;
    let waited = 0;
    while (pending.length === 0 && waited < 4000) {
      pool.take(echoPlan, DEFAULT_LIMITS); // a take every 100 ms, never quiet
      await vi.advanceTimersByTimeAsync(100);
      waited += 100;
    }
    expect(pending.length).toBeGreaterThan(0);
    // Held for the burst well past the usual refill delay, but never beyond two seconds.
    expect(waited).toBeGreaterThan(REFILL_DELAY_MS * 5);
    expect(waited).toBeLessThanOrEqual(2000);
    await finishAll();
  });

  it('is off with perKind 0, whatever the demand', () => {
    const { pool, pending } = fakePool({ perKind: 0 });
    dispose = () => pool.dispose();
    pool.setDemand([{ plan: echoPlan, limits: DEFAULT_LIMITS, count: 4 }]);
    expect(pending).toHaveLength(0);
    expect(pool.take(echoPlan, DEFAULT_LIMITS)).toBeNull();
  });
});
