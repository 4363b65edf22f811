/**
 * The front's `stats` requests to the jailer, matched to their answers by id. An answer within
 * the time allowed is how /readyz knows the jailer answers; its numbers feed /metrics.
 */
import type { JailerStats, StatsRequest } from '../jailer/protocol.ts';

/** Longest /readyz and /metrics wait for the jailer's answer. */
export const STATS_TIMEOUT_MS = 1000;

export class StatsRequests {
  private next = 0;
  private readonly pending = new Map<number, (stats: JailerStats | null) => void>();

  /**
   * Sends a request with `send` (false: no jailer to send it to) and resolves with the answer,
   * or null when there is none within `timeoutMs`.
   */
  ask(
    send: (request: StatsRequest) => boolean,
    timeoutMs = STATS_TIMEOUT_MS,
  ): Promise<JailerStats | null> {
    const id = this.next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, null), timeoutMs);
      timer.unref();
      this.pending.set(id, (stats) => {
        clearTimeout(timer);
        resolve(stats);
      });
      if (!send({ type: 'stats', id })) this.settle(id, null);
    });
  }

  /** Hands an answer from the jailer to whoever asked (a late one is dropped). */
  answer(stats: JailerStats): void {
    this.settle(stats.id, stats);
  }

  private settle(id: number, stats: JailerStats | null): void {
    const resolve = this.pending.get(id);
    if (!resolve) return;
    this.pending.delete(id);
    resolve(stats);
  }
}
