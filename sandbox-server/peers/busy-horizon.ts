/**
 * Tells the run until when a fault peer still has data on its way (datagrams or segments it
 * delays, paces or holds back to reorder): the run waits for it before it ends, though every
 * learner program has exited, so a sender that sends and exits at once still sees its data
 * arrive. Each report covers BUSY_MARGIN_MS more than asked, so a stream of delayed packets
 * costs a report every few of them, not one each.
 */
import type { PeerIo } from './peer-io.ts';

/** The report the run reads (run.ts): `{ event: 'busy', ms }`, data on its way for `ms` more. */
export const BUSY_REPORT = 'busy';
const BUSY_MARGIN_MS = 50;

export class BusyHorizon {
  private readonly io: PeerIo;
  /** When the last report's promise runs out (performance.now() time). */
  private until = 0;

  constructor(io: PeerIo) {
    this.io = io;
  }

  /** Data will still leave at `at` (a performance.now() time). */
  sendsAt(at: number): void {
    if (at <= this.until) return;
    const now = performance.now();
    this.until = at + BUSY_MARGIN_MS;
    this.io.report(BUSY_REPORT, { ms: Math.ceil(this.until - now) });
  }
}
