/**
 * The seeds of a run: the run's own (asked for, or picked here at random) and each peer's,
 * derived from it and the peer's place in the start order so that two relays of one run draw
 * different faults. A seed the lesson fixes in a peer's options wins over the run's.
 */
import { randomInt } from 'node:crypto';
import type { Lang } from '../../lib/protocol.ts';
import { mixSeed } from '../peers/prng.ts';
import type { PlannedProcess } from '../plan/plan.ts';

/** A fresh run seed: a uniformly random 32-bit unsigned integer. */
export function randomSeed(): number {
  // randomInt's range is below 2^48; two halves give every 32-bit value.
  return ((randomInt(0x10000) << 16) | randomInt(0x10000)) >>> 0;
}

/** The seed peer `planned`, at `index` in the start order, draws its faults from. */
export function peerSeed(planned: PlannedProcess, index: number, runSeed: number): number {
  const fixed = planned.peer?.options.seed;
  return typeof fixed === 'number' ? fixed : mixSeed(runSeed, index);
}

/** The line that lets a peer begin (peers/go.ts): its seed and language, then stdin closes. */
export function goLine(seed: number, lang: Lang): string {
  return `${JSON.stringify({ seed, lang })}\n`;
}
