/** What the peers reported: their structured facts about the run (sandbox-server/peers). */
import type { PeerReport, RunRecord } from '../lessons/define.ts';
import { processName } from './process.ts';

/** The reports of process `proc` (e.g. `echo` or `peer:echo`), in order; only `event` ones if given. */
export function reportsOf(
  run: RunRecord,
  proc: string,
  event?: string,
): Array<PeerReport & { process: string }> {
  const name = processName(run, proc);
  return run.reports.filter(
    (report) => report.process === name && (event === undefined || report.event === event),
  );
}

/** The `data` of `proc`'s `event` reports, concatenated in order. */
function dataOf(run: RunRecord, proc: string, event: string): string {
  return reportsOf(run, proc, event)
    .map((report) => (typeof report.data === 'string' ? report.data : ''))
    .join('');
}

/** Everything peer `proc` reports having received, concatenated in order. */
export function receivedText(run: RunRecord, proc: string): string {
  return dataOf(run, proc, 'received');
}

/** Everything peer `proc` reports having sent, concatenated in order. */
export function sentText(run: RunRecord, proc: string): string {
  return dataOf(run, proc, 'sent');
}
