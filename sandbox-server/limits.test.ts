import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, LIMIT_BOUNDS, addressSpaceBytes, clampLimits } from './limits.ts';

describe('clampLimits', () => {
  it('fills every missing limit from the defaults', () => {
    expect(clampLimits({})).toEqual(DEFAULT_LIMITS);
  });

  it('keeps a request inside the bounds', () => {
    const limits = clampLimits({ wallSeconds: 30, pids: 100 });
    expect(limits.wallSeconds).toBe(30);
    expect(limits.pids).toBe(100);
  });

  it('raises a request below the minimum and lowers one above the maximum', () => {
    const limits = clampLimits({ wallSeconds: 0.01, memoryBytes: 1e12 });
    expect(limits.wallSeconds).toBe(LIMIT_BOUNDS.min.wallSeconds);
    expect(limits.memoryBytes).toBe(LIMIT_BOUNDS.max.memoryBytes);
  });

  it('never lets "no limit" through: infinity and NaN fall back to the default', () => {
    const limits = clampLimits({ wallSeconds: Infinity, cpuSeconds: NaN });
    expect(limits.wallSeconds).toBe(DEFAULT_LIMITS.wallSeconds);
    expect(limits.cpuSeconds).toBe(DEFAULT_LIMITS.cpuSeconds);
  });

  it('rounds counts and sizes down to whole numbers but keeps fractional seconds', () => {
    const limits = clampLimits({ pids: 20.7, wallSeconds: 2.5 });
    expect(limits.pids).toBe(20);
    expect(limits.wallSeconds).toBe(2.5);
  });

  it('uses the given defaults and bounds', () => {
    const defaults = { ...DEFAULT_LIMITS, wallSeconds: 20 };
    const max = { ...LIMIT_BOUNDS.max, wallSeconds: 25 };
    expect(clampLimits({}, { min: LIMIT_BOUNDS.min, max, defaults }).wallSeconds).toBe(20);
    expect(
      clampLimits({ wallSeconds: 60 }, { min: LIMIT_BOUNDS.min, max, defaults }).wallSeconds,
    ).toBe(25);
  });
});

describe('addressSpaceBytes', () => {
  it('is a generous backstop above the cgroup memory limit', () => {
    expect(addressSpaceBytes(DEFAULT_LIMITS)).toBeGreaterThanOrEqual(
      4 * DEFAULT_LIMITS.memoryBytes,
    );
  });

  it('leaves every allowed task room for a thread stack, so threads meet the pids limit first', () => {
    const limits = { ...DEFAULT_LIMITS, pids: LIMIT_BOUNDS.max.pids };
    expect(addressSpaceBytes(limits)).toBeGreaterThan(limits.pids * 8 * 1024 * 1024);
  });
});
