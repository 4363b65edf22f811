import { describe, expect, it } from 'vitest';
import { mixSeed, mulberry32 } from './prng.ts';

describe('mulberry32', () => {
  it('gives the reference sequence of mulberry32 (the published JavaScript version)', () => {
    const random = mulberry32(0);
    expect([random(), random(), random()]).toEqual([
      0.26642920868471265, 0.0003297457005828619, 0.2232720274478197,
    ]);
    const other = mulberry32(123456789);
    expect([other(), other()]).toEqual([0.2577907438389957, 0.9707721115555614]);
  });

  it('stays in [0, 1) and treats seeds as unsigned 32-bit numbers', () => {
    const random = mulberry32(0xffffffff);
    for (let i = 0; i < 1000; i++) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
    expect(mulberry32(-1)()).toBe(mulberry32(0xffffffff)());
  });
});

describe('mixSeed', () => {
  it('derives fixed, distinct 32-bit seeds from a seed and a salt', () => {
    expect([mixSeed(0, 0), mixSeed(0, 1), mixSeed(1, 0), mixSeed(42, 3)]).toEqual([
      2462723854, 1020716019, 2527132011, 3317318717,
    ]);
    const seeds = new Set<number>();
    for (let salt = 0; salt < 1000; salt++) seeds.add(mixSeed(7, salt));
    expect(seeds.size).toBe(1000);
  });
});
