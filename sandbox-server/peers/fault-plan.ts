/**
 * The fault decisions of udp-relay and tcp-proxy, as pure functions of a seed: one random stream
 * per flow (a UDP client, a TCP connection) and direction, drawing the same numbers in the same
 * order for every datagram or segment whatever was decided before. So the same seed and the
 * same traffic give exactly the same faults, and one flow's traffic never shifts another's.
 */
import { mixSeed, seededRandom, type Random } from './prng.ts';

/** A way through a relay: from the client toward the target, or the replies back. */
export type Way = 'to-target' | 'from-target';

/** Which ways a relay's faults apply to. */
export type FaultDirection = 'both' | Way;

/** True when faults configured for `direction` apply to traffic going `way`. */
export function faultsApply(direction: FaultDirection, way: Way): boolean {
  return direction === 'both' || direction === way;
}

/** The seed of one flow's (from 1) stream in one direction. */
export function streamSeed(seed: number, flow: number, way: Way): number {
  return mixSeed(seed, flow * 2 + (way === 'to-target' ? 0 : 1));
}

/** Loss, duplication, reordering and delay, each a probability or a number of milliseconds. */
export interface DatagramFaultOptions {
  loss: number;
  duplicate: number;
  reorder: number;
  delayMs: number;
  jitterMs: number;
}

/** What happens to one datagram. */
export interface DatagramFate {
  drop: boolean;
  duplicate: boolean;
  /** Hold it back and send it after the next datagram of its direction. */
  reorder: boolean;
  /** Milliseconds it waits before it leaves (delay ± jitter, never below 0). */
  delayMs: number;
}

const NO_FAULT: DatagramFate = { drop: false, duplicate: false, reorder: false, delayMs: 0 };

/**
 * The fates of one direction of one UDP flow, datagram by datagram. Every datagram draws four
 * numbers, in this order: loss, duplicate, reorder, jitter.
 */
export class DatagramFaults {
  private readonly random: Random | null;
  private readonly options: DatagramFaultOptions;

  /**
   * `seed`: the stream's (streamSeed); null: faults do not apply to this direction (every
   * datagram passes untouched).
   */
  constructor(seed: number | null, options: DatagramFaultOptions) {
    this.random = seed === null ? null : seededRandom(seed);
    this.options = options;
  }

  /** The fate of the next datagram. */
  next(): DatagramFate {
    if (!this.random) return NO_FAULT;
    const { loss, duplicate, reorder } = this.options;
    const [a, b, c, d] = [this.random(), this.random(), this.random(), this.random()];
    return {
      drop: a < loss,
      duplicate: b < duplicate,
      reorder: c < reorder,
      delayMs: jittered(this.options, d),
    };
  }
}

/** Delays and resets of a TCP stream's segments. */
export interface SegmentFaultOptions {
  delayMs: number;
  jitterMs: number;
  resetRate: number;
}

/** What happens to one segment a proxy forwards. */
export interface SegmentFate {
  /** Reset both connections instead of sending it. */
  reset: boolean;
  delayMs: number;
}

/**
 * The fates of one direction of one TCP connection, segment by segment. Every segment draws
 * two numbers, in this order: reset, jitter. (A stream cannot be reordered, and what TCP loses
 * it sends again: loss and duplication are not TCP faults a proxy can show.)
 */
export class SegmentFaults {
  private readonly random: Random | null;
  private readonly options: SegmentFaultOptions;

  /** `seed`: the stream's (streamSeed); null: faults do not apply to this direction. */
  constructor(seed: number | null, options: SegmentFaultOptions) {
    this.random = seed === null ? null : seededRandom(seed);
    this.options = options;
  }

  /** The fate of the next segment. */
  next(): SegmentFate {
    if (!this.random) return { reset: false, delayMs: 0 };
    const [a, b] = [this.random(), this.random()];
    return { reset: a < this.options.resetRate, delayMs: jittered(this.options, b) };
  }
}

/** delay ± jitter from a draw in [0, 1), in whole milliseconds, never negative. */
function jittered(options: { delayMs: number; jitterMs: number }, draw: number): number {
  return Math.max(0, Math.round(options.delayMs + (draw * 2 - 1) * options.jitterMs));
}
