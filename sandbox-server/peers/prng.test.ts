import { describe, expect, it } from 'vitest';
import { mixSeed, seededRandom } from './prng.ts';

describe('seededRandom', () => {
  // Pinned from pure-rand 8's xoroshiro128plus and uniformFloat64: a change of either (or of
  // the library's version) changes every seeded fault, so it must show here first.
  it('gives the same sequence for a seed as when these values were pinned', () => {
    const random = seededRandom(0);
    expect([random(), random(), random()]).toEqual([
      0.9999999999927239, 0.7500000074513797, 0.9688568065183913,
    ]);
    const other = seededRandom(123456789);
    expect([other(), other()]).toEqual([0.16035048145688657, 0.8267003625689326]);
  });

  it('stays in [0, 1) and treats seeds as unsigned 32-bit numbers', () => {
    const random = seededRandom(0xffffffff);
    for (let i = 0; i < 1000; i++) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
    expect(seededRandom(-1)()).toBe(seededRandom(0xffffffff)());
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
