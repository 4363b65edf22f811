/**
 * How udp-relay and tcp-proxy tell what they did to the traffic: one `fault` report on fd 3 per
 * fault (the run turns it into a `fault` event the Network view and the checks see) and a human
 * line in the peer's terminal (its note, worded in the run's language), both bounded so that a
 * flood of traffic cannot flood either.
 */
import type { FaultFields } from '../../lib/protocol.ts';
import type { PeerIo } from './peer-io.ts';

/**
 * What a relay did, as lib/protocol.ts declares it for the `fault` event (without run id,
 * process and time, which the run adds). A type only: the peer bundle holds no zod.
 */
export type Fault = FaultFields;

/** The reports the run reads (run-faults.ts): one per fault, and one once the rest are dropped. */
export const FAULT_REPORT = 'fault';
export const FAULT_LIMIT_REPORT = 'fault-limit';

/** Fault reports one peer sends at most (their text stays well inside the run's report budget). */
export const MAX_FAULT_REPORTS = 2000;
/** Fault lines one peer writes to its terminal at most. */
export const MAX_FAULT_LINES = 100;

/** Reports faults of one peer. */
export class FaultLog {
  private readonly io: PeerIo;
  private reported = 0;
  private logged = 0;

  constructor(io: PeerIo) {
    this.io = io;
  }

  /** Reports `fault` and logs its sentence, until the limits; says once where the rest went. */
  add(fault: Fault): void {
    if (this.reported < MAX_FAULT_REPORTS) this.io.report(FAULT_REPORT, { ...fault });
    else if (this.reported === MAX_FAULT_REPORTS)
      this.io.report(FAULT_LIMIT_REPORT, { reported: MAX_FAULT_REPORTS });
    this.reported += 1;
    if (this.logged < MAX_FAULT_LINES) this.io.say(fault.note);
    else if (this.logged === MAX_FAULT_LINES)
      this.io.say({ code: 'peer-fault-lines-capped', params: { max: MAX_FAULT_LINES } });
    this.logged += 1;
  }
}
