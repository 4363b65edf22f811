/**
 * A link of limited bandwidth, as times: each packet occupies the link for its size divided by
 * the rate (plus an optional gap), one after another. Pure arithmetic on the caller's clock.
 */

/** Serialises packets onto a link of `bytesPerSecond` (0: unlimited) with `gapMs` between them. */
export class Pacer {
  private free = -Infinity;
  private readonly bytesPerSecond: number;
  private readonly gapMs: number;

  constructor(bytesPerSecond: number, gapMs = 0) {
    this.bytesPerSecond = bytesPerSecond;
    this.gapMs = gapMs;
  }

  /** When a packet of `bytes` handed over at `readyAt` has left (never before earlier ones). */
  take(readyAt: number, bytes: number): number {
    const start = Math.max(readyAt, this.free);
    const done = start + (this.bytesPerSecond > 0 ? (bytes * 1000) / this.bytesPerSecond : 0);
    this.free = done + this.gapMs;
    return done;
  }

  /** How long a packet handed over at `now` would wait for the link. */
  backlogMs(now: number): number {
    return Math.max(0, this.free - now);
  }
}
