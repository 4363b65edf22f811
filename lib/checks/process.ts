/** Finding a process of a run by the name a lesson author knows it by. */
import type { ProcessRecord, RunRecord } from '../lessons/define.ts';

/**
 * The record's name of process `proc`: a learner file's name (`client.py`), or a peer's given
 * name or type (`echo`), which the record stores as `peer:echo`.
 */
export function processName(run: RunRecord, proc: string): string {
  if (run.processes[proc] || proc.startsWith('peer:')) return proc;
  return run.processes[`peer:${proc}`] ? `peer:${proc}` : proc;
}

/** The record of process `proc` (named as in processName), if the run had it. */
export function processOf(run: RunRecord, proc: string): ProcessRecord | undefined {
  return run.processes[processName(run, proc)];
}
