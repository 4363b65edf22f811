import { describe, expect, it } from 'vitest';
import { mixSeed } from '../peers/prng.ts';
import { goLine, peerSeed, randomSeed } from './peer-seed.ts';
import type { PlannedProcess } from '../plan/plan.ts';

const relay = (options: Record<string, unknown>): PlannedProcess => ({
  name: 'peer:relay',
  kind: 'peer',
  label: 'peer: relay',
  peer: { peer: 'udp-relay', name: 'relay', port: 9000, options },
});

describe('peer seeds', () => {
  it('derive from the run seed and the place in the start order', () => {
    expect(peerSeed(relay({}), 1, 42)).toBe(mixSeed(42, 1));
    expect(peerSeed(relay({}), 1, 42)).toBe(peerSeed(relay({}), 1, 42));
    expect(peerSeed(relay({}), 2, 42)).not.toBe(peerSeed(relay({}), 1, 42));
    expect(peerSeed(relay({}), 1, 43)).not.toBe(peerSeed(relay({}), 1, 42));
  });

  it('are the lesson’s own when its options fix one, whatever the run seed', () => {
    expect(peerSeed(relay({ seed: 7 }), 1, 42)).toBe(7);
    expect(peerSeed(relay({ seed: 0 }), 3, 99)).toBe(0);
  });

  it('reach the peer as one JSON line', () => {
    expect(goLine(4294967295, 'zh')).toBe('{"seed":4294967295,"lang":"zh"}\n');
  });

  it('of runs are random 32-bit unsigned integers', () => {
    const seeds = Array.from({ length: 50 }, randomSeed);
    expect(seeds.every((seed) => Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)).toBe(
      true,
    );
    expect(new Set(seeds).size).toBeGreaterThan(45);
  });
});
