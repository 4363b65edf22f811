import { describe, expect, it } from 'vitest';
import {
  DatagramFaults,
  faultsApply,
  SegmentFaults,
  streamSeed,
  type DatagramFaultOptions,
  type DatagramFate,
} from './fault-plan.ts';

const NONE: DatagramFaultOptions = { loss: 0, duplicate: 0, reorder: 0, delayMs: 0, jitterMs: 0 };
const LOSSY = { ...NONE, loss: 0.3 };
/** The seed a relay gives its first flow toward the target, for a relay seed `seed`. */
const stream = (seed: number): number => streamSeed(seed, 1, 'to-target');

/** The indices (from 1) of the first `count` datagrams whose fate has `key`. */
function indices(faults: DatagramFaults, count: number, key: keyof DatagramFate): number[] {
  const found: number[] = [];
  for (let index = 1; index <= count; index++) if (faults.next()[key]) found.push(index);
  return found;
}

describe('DatagramFaults', () => {
  it('drops exactly the same datagrams for the same seed', () => {
    expect(indices(new DatagramFaults(stream(42), LOSSY), 20, 'drop')).toEqual([1, 5, 13, 14, 18]);
    expect(indices(new DatagramFaults(stream(42), LOSSY), 20, 'drop')).toEqual([1, 5, 13, 14, 18]);
  });

  it('drops other datagrams for another seed', () => {
    expect(indices(new DatagramFaults(stream(1), LOSSY), 20, 'drop')).toEqual([
      1, 2, 4, 8, 13, 15, 17, 18,
    ]);
    expect(indices(new DatagramFaults(stream(2), LOSSY), 20, 'drop')).toEqual([2, 7, 14, 15, 16]);
  });

  it('decides every fault of a datagram from its own draws, in a fixed order', () => {
    const options = { loss: 0.2, duplicate: 0.2, reorder: 0.2, delayMs: 50, jitterMs: 20 };
    const faults = new DatagramFaults(stream(12), options);
    const seen = Array.from({ length: 10 }, () => faults.next());
    expect(seen.flatMap((fate, i) => (fate.drop ? [i + 1] : []))).toEqual([2, 7]);
    expect(seen.flatMap((fate, i) => (fate.duplicate ? [i + 1] : []))).toEqual([6, 9]);
    expect(seen.flatMap((fate, i) => (fate.reorder ? [i + 1] : []))).toEqual([1]);
    expect(seen.map((fate) => fate.delayMs)).toEqual([64, 53, 36, 33, 64, 65, 35, 70, 46, 34]);
  });

  it('keeps one fault’s decisions when another probability changes (four draws per datagram)', () => {
    const lossOnly = indices(new DatagramFaults(stream(42), LOSSY), 50, 'drop');
    const withMore = new DatagramFaults(stream(42), { ...LOSSY, duplicate: 0.5, reorder: 0.5 });
    expect(indices(withMore, 50, 'drop')).toEqual(lossOnly);
  });

  it('keeps delays within delay ± jitter and never below zero', () => {
    const faults = new DatagramFaults(stream(3), { ...NONE, delayMs: 10, jitterMs: 30 });
    const delays = Array.from({ length: 500 }, () => faults.next().delayMs);
    expect(Math.min(...delays)).toBe(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(40);
    expect(delays.every((delay) => Number.isInteger(delay))).toBe(true);
    const fixed = new DatagramFaults(stream(3), { ...NONE, delayMs: 25 });
    expect(Array.from({ length: 5 }, () => fixed.next().delayMs)).toEqual([25, 25, 25, 25, 25]);
  });

  it('does nothing to a direction the faults do not apply to', () => {
    const faults = new DatagramFaults(null, { ...LOSSY, loss: 1, delayMs: 100 });
    expect(faults.next()).toEqual({ drop: false, duplicate: false, reorder: false, delayMs: 0 });
  });

  it('with no fault configured, never touches a datagram', () => {
    const faults = new DatagramFaults(stream(9), NONE);
    for (let i = 0; i < 200; i++)
      expect(faults.next()).toEqual({ drop: false, duplicate: false, reorder: false, delayMs: 0 });
  });
});

describe('SegmentFaults', () => {
  it('resets at the same segments for the same seed, and at others for another', () => {
    const resets = (seed: number) => {
      const faults = new SegmentFaults(stream(seed), { delayMs: 0, jitterMs: 0, resetRate: 0.1 });
      return Array.from({ length: 40 }, () => faults.next().reset).flatMap((reset, i) =>
        reset ? [i + 1] : [],
      );
    };
    expect(resets(5)).toEqual(resets(5));
    expect(resets(5).length).toBeGreaterThan(0);
    expect(resets(6)).not.toEqual(resets(5));
  });

  it('never resets with resetRate 0, nor in a direction the faults do not apply to', () => {
    const faults = new SegmentFaults(stream(5), { delayMs: 0, jitterMs: 0, resetRate: 0 });
    expect(Array.from({ length: 100 }, () => faults.next().reset)).not.toContain(true);
    expect(new SegmentFaults(null, { delayMs: 9, jitterMs: 0, resetRate: 1 }).next()).toEqual({
      reset: false,
      delayMs: 0,
    });
  });
});

describe('streams', () => {
  it('gives every flow and direction its own seed', () => {
    const seeds = [
      streamSeed(42, 1, 'to-target'),
      streamSeed(42, 1, 'from-target'),
      streamSeed(42, 2, 'to-target'),
      streamSeed(43, 1, 'to-target'),
    ];
    expect(new Set(seeds).size).toBe(4);
    expect(streamSeed(42, 1, 'to-target')).toBe(streamSeed(42, 1, 'to-target'));
  });

  it('applies faults to the chosen directions only', () => {
    expect(faultsApply('both', 'to-target')).toBe(true);
    expect(faultsApply('both', 'from-target')).toBe(true);
    expect(faultsApply('to-target', 'from-target')).toBe(false);
    expect(faultsApply('from-target', 'from-target')).toBe(true);
    expect(faultsApply('from-target', 'to-target')).toBe(false);
  });
});
