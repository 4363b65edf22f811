import { describe, expect, it } from 'vitest';
import { Pacer } from './pacer.ts';

describe('Pacer', () => {
  it('lets everything through at once without a rate or a gap', () => {
    const pacer = new Pacer(0);
    expect([pacer.take(10, 1000), pacer.take(10, 1000)]).toEqual([10, 10]);
    expect(pacer.backlogMs(10)).toBe(0);
  });

  it('serialises packets at the rate, one after another', () => {
    const pacer = new Pacer(1000); // 1 byte per ms
    expect(pacer.take(0, 100)).toBe(100);
    expect(pacer.take(0, 50)).toBe(150);
    expect(pacer.backlogMs(20)).toBe(130);
    // The link was idle since 150: a packet at 500 waits only for itself.
    expect(pacer.take(500, 10)).toBe(510);
  });

  it('keeps a gap between packets, and never sends one before an earlier one', () => {
    const pacer = new Pacer(0, 5);
    expect([pacer.take(0, 3), pacer.take(0, 3), pacer.take(0, 3)]).toEqual([0, 5, 10]);
    expect(pacer.take(100, 3)).toBe(100);
    expect(pacer.take(50, 3)).toBe(105);
  });
});
