/**
 * The seeded random numbers of the fault peers. No PRNG library is in the dependencies, so this
 * is the public-domain mulberry32 (Tommy Ettinger, 2017: 32-bit state, passes PractRand to
 * 2^32 outputs, more than a run ever draws) and a splitmix32-style mixer to derive one stream's
 * seed from the run's seed and the stream's place. Same seed, same numbers, on every machine.
 */

/** A source of numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: the same sequence of numbers in [0, 1) for the same 32-bit seed. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from `seed` and a small number (splitmix32's finaliser): nearby inputs differ. */
export function mixSeed(seed: number, salt: number): number {
  let z = (seed + Math.imul(salt + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
