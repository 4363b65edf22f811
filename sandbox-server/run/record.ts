/** The finished run as the checks see it (lib/lessons/define.ts RunRecord). */
import type { ProcessRecord, RunRecord } from '../../lib/lessons/define.ts';
import type { ProcessEnd, RunEndReason } from '../../lib/protocol.ts';
import type { RunProcess } from './run-process.ts';

/** What the run heard besides its processes' output. */
export interface RecordExtras {
  reports: RunRecord['reports'];
  faults: RunRecord['faults'];
  seed: number;
}

/** Assembles the record from the processes, how each ended, the peers' reports and faults. */
export function buildRecord(
  reason: RunEndReason,
  processes: RunProcess[],
  ends: Map<RunProcess, ProcessEnd>,
  { reports, faults, seed }: RecordExtras,
): RunRecord {
  const records: Record<string, ProcessRecord> = {};
  for (const process of processes) {
    records[process.name] = {
      name: process.name,
      kind: process.plan.kind,
      stdout: process.stdout.join(''),
      stderr: process.stderr.join(''),
      end: ends.get(process) ?? 'killed',
      exitCode: process.exit?.exitCode ?? null,
      signal: process.exit?.signal ?? null,
      durationMs: Math.round(process.exit?.durationMs ?? 0),
      reports: process.reports,
      ...(process.blocked ? { blocked: process.blocked } : {}),
    };
  }
  return { reason, processes: records, reports, faults, seed };
}
