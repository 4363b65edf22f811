/**
 * When a run whose processes have all started is over by itself: once nothing runs, or once
 * everything still running is a server and has been quiet for a grace period. Pure decisions on
 * times the caller gives (ms on one clock), so the policy is tested without processes or timers.
 */
import { MAX_SERVING_GRACE_MS, PEER_GRACE_MS, SERVING_GRACE_MS } from './timing.ts';

/** What the run's processes are doing at a look. */
export interface RunningNow {
  /** Processes still running. */
  running: number;
  /** Of those, the ones that serve (hold a listening or bound socket). */
  serving: number;
  /** Every process still running is a peer: the learner's part is over. */
  onlyPeers: boolean;
}

/** `completed`; `working` (someone is not just serving); or look again in `lookAgainInMs`. */
export type EndDecision = 'completed' | 'working' | { lookAgainInMs: number };

export class NaturalEnd {
  private grace: { until: number; hardUntil: number; quietMs: number } | null = null;
  private peersBusyUntil = 0;

  /**
   * Decides at `now`. The grace starts when only servers are left: SERVING_GRACE_MS, or
   * PEER_GRACE_MS when only peers are left (a peer says its last words within milliseconds of the
   * learner's exit). Output and a busy peer extend it, never past MAX_SERVING_GRACE_MS.
   */
  decide(now: number, processes: RunningNow): EndDecision {
    if (processes.running === 0) return 'completed';
    if (processes.serving < processes.running) {
      this.grace = null;
      return 'working';
    }
    const quietMs = processes.onlyPeers ? PEER_GRACE_MS : SERVING_GRACE_MS;
    if (this.grace?.quietMs !== quietMs)
      this.grace = { until: now + quietMs, hardUntil: now + MAX_SERVING_GRACE_MS, quietMs };
    const until = Math.min(this.grace.hardUntil, Math.max(this.grace.until, this.peersBusyUntil));
    return now >= until ? 'completed' : { lookAgainInMs: until - now };
  }

  /** A server still talking is not done yet: output at `now` extends the grace. */
  output(now: number): void {
    if (this.grace) this.grace.until = Math.min(this.grace.hardUntil, now + this.grace.quietMs);
  }

  /** A peer still sends delayed data for `ms` from `now`: the end waits for it (within the grace). */
  peerBusy(now: number, ms: number): void {
    const until = now + Math.min(Math.max(ms, 0), MAX_SERVING_GRACE_MS);
    this.peersBusyUntil = Math.max(this.peersBusyUntil, until);
  }
}
