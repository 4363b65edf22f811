/**
 * The seeded random numbers of the fault peers: pure-rand's xoroshiro128plus (its recommended
 * generator, period 2^128 - 1) read through its unbiased uniformFloat64, and a splitmix32-style
 * mixer to derive one stream's seed from the run's seed and the stream's place. Same seed, same
 * numbers, on every machine.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A source of numbers in [0, 1). */
export type Random = () => number;

/**
 * The same sequence of numbers in [0, 1) for the same 32-bit seed. The generator's first output
 * is the seed's complement, so give it a mixed seed (mixSeed), not a small counter.
 */
export function seededRandom(seed: number): Random {
  const generator = xoroshiro128plus(seed);
  return () => uniformFloat64(generator);
}

/** A 32-bit seed from `seed` and a small number (splitmix32's finaliser): nearby inputs differ. */
export function mixSeed(seed: number, salt: number): number {
  let z = (seed + Math.imul(salt + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
