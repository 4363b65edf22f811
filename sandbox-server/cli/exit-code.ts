/** The CLI's exit status from a finished run: the contract scripts and CI rely on. */
import type { RunRecord } from '../../lib/lessons/define.ts';
import type { CheckResult } from '../../lib/protocol.ts';

/** 0 when every learner process exited 0 or was a server stopped at the end, and no check failed. */
export function exitCodeFor(record: RunRecord, checks: CheckResult[]): 0 | 1 {
  const learners = Object.values(record.processes).filter((process) => process.kind === 'learner');
  const fine = learners.every(
    (process) => (process.end === 'exited' && process.exitCode === 0) || process.end === 'stopped',
  );
  const checked = checks.every((check) => check.status === 'pass');
  return fine && checked && record.reason === 'completed' ? 0 : 1;
}
