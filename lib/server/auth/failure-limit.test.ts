import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearFailures, recordFailure, refusedFor } from './failure-limit.ts';
import { installTestContext } from './test-support.ts';
import type { AuthDb } from './store.ts';

const rule = { max: 3, windowMs: 60_000 };
let db: AuthDb;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ db, close } = await installTestContext());
});
afterEach(() => close());

describe('failure limits', () => {
  it('refuse a key after max failures until the window has passed since the last one', async () => {
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(await refusedFor(db, 'k', rule, t + i)).toBe(0);
      await recordFailure(db, 'k', rule, t + i);
    }
    expect(await refusedFor(db, 'k', rule, t + 10)).toBe(60_000 - 8);
    expect(await refusedFor(db, 'other', rule, t + 10)).toBe(0);
    expect(await refusedFor(db, 'k', rule, t + 2 + 60_000)).toBe(0);
  });

  it('start counting afresh after a quiet window, and forget on clear', async () => {
    await recordFailure(db, 'k', rule, 0);
    await recordFailure(db, 'k', rule, 1);
    await recordFailure(db, 'k', rule, 100_000); // a window later: count is 1 again
    expect(await refusedFor(db, 'k', rule, 100_001)).toBe(0);
    await recordFailure(db, 'k', rule, 100_002);
    await recordFailure(db, 'k', rule, 100_003);
    expect(await refusedFor(db, 'k', rule, 100_004)).toBeGreaterThan(0);
    await clearFailures(db, 'k');
    expect(await refusedFor(db, 'k', rule, 100_005)).toBe(0);
  });
});
