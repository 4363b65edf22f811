/**
 * The faults a run's fault peers did (udp-relay, tcp-proxy): their `fault` reports, validated
 * against the protocol, become `fault` events timed from the run's start and a bounded list in
 * the run's record. Past the limit (the capture's packet limit: one fault concerns one packet)
 * one `faults-truncated` notice is sent and the rest is dropped, so a flood grows no memory.
 */
import { FAULT_LIMIT_REPORT, FAULT_REPORT } from '../peers/fault-log.ts';
import type { PeerReport, RecordedFault } from '../../lib/lessons/define.ts';
import { FaultFields, type RunEvent } from '../../lib/protocol.ts';

/** Faults kept in the run's record for the checks (the events carry up to the limit). */
export const MAX_RECORD_FAULTS = 500;

/** What the faults of a run need from it. */
export interface RunFaultsContext {
  runId: string;
  /** Most fault events of the run. */
  limit: number;
  /** Milliseconds since the run started. */
  elapsed: () => number;
  emit: (event: RunEvent) => void;
  log: (what: string, error: unknown) => void;
}

/** The fault events of one run. */
export class RunFaults {
  /** The first faults, for the run's record. */
  readonly recorded: RecordedFault[] = [];
  private readonly context: RunFaultsContext;
  private sent = 0;
  private truncated = false;

  constructor(context: RunFaultsContext) {
    this.context = context;
  }

  /** Takes a peer's report if it is about a fault (true), or leaves it to the caller (false). */
  take(process: string, report: PeerReport): boolean {
    if (report.event === FAULT_LIMIT_REPORT) {
      this.truncate();
      return true;
    }
    if (report.event !== FAULT_REPORT) return false;
    const { event: _event, ...fields } = report;
    const parsed = FaultFields.safeParse(fields);
    if (!parsed.success) {
      this.context.log(`a fault report of ${process}`, parsed.error);
      return true;
    }
    if (this.sent >= this.context.limit) {
      this.truncate();
      return true;
    }
    this.sent += 1;
    const fault: RecordedFault = { process, t: this.context.elapsed(), ...parsed.data };
    if (this.recorded.length < MAX_RECORD_FAULTS) this.recorded.push(fault);
    this.context.emit({ type: 'fault', runId: this.context.runId, ...fault });
    return true;
  }

  private truncate(): void {
    if (this.truncated) return;
    this.truncated = true;
    const { runId } = this.context;
    const faults = this.sent;
    const notice = { code: 'faults-truncated', params: { faults } } as const;
    this.context.emit({ type: 'faults-truncated', runId, faults, notice });
  }
}
