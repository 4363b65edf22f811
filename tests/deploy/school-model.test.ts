import { describe, expect, it } from 'vitest';
import {
  nodesNeeded,
  randomSource,
  runArrivals,
  simulate,
  type SchoolShape,
} from '../../deploy/capacity/school-model.ts';

const node = { slots: 8, aloneSeconds: 0.5, runsPerSecond: 8 };
const school: SchoolShape = {
  classes: 2,
  learnersPerClass: 10,
  classSeconds: 600,
  firstRunWithinSeconds: 60,
  thinkSeconds: 30,
  togetherMoments: 1,
};

describe('the school capacity model', () => {
  it('makes the same school from the same seed, with each learner’s Runs in the class', () => {
    const a = runArrivals(school, randomSource(7));
    expect(runArrivals(school, randomSource(7))).toEqual(a);
    expect(a.every((t) => t >= 0 && t < school.classSeconds + 5)).toBe(true);
    // ~20 runs per learner over 600 s at 30 s apart, plus one moment together.
    expect(a.length).toBeGreaterThan(20 * 15);
    expect(a.length).toBeLessThan(20 * 27);
  });

  it('takes a run alone at its measured time', () => {
    const result = simulate([1], 1, node);
    expect(result.p50).toBeCloseTo(0.5, 1);
  });

  it('finishes a burst no faster than the node’s throughput', () => {
    // 80 at once on one node: the last one after at least 80 / 8 = 10 s.
    const result = simulate(new Array(80).fill(0), 1, node);
    expect(result.max).toBeGreaterThan(9.99);
    expect(result.max).toBeLessThan(10.5);
    expect(result.peakQueued).toBe(72);
    // Two nodes halve it.
    expect(simulate(new Array(80).fill(0), 2, node).max).toBeLessThan(5.5);
  });

  it('stops at the fewest nodes that meet the targets', () => {
    const tried = nodesNeeded(new Array(80).fill(0), node, { p95: 3, p99: 3 });
    const last = tried.at(-1)!;
    expect(last.p99).toBeLessThanOrEqual(3);
    expect(tried.at(-2)!.p99).toBeGreaterThan(3);
    expect(last.nodes).toBe(tried.length);
  });
});
