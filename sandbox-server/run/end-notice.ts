/**
 * The notice that says why a run ended. Limits carry their values ("time limit of 10 s") so
 * the learner knows what to change; lib/notices/catalog.ts words it in the reader's language.
 */
import type { Notice, RunEndReason } from '../../lib/protocol.ts';
import type { RunLimitsConfig } from '../limits.ts';

/** Why the run ended, as a notice. */
export function endNotice(reason: RunEndReason, limits: RunLimitsConfig): Notice {
  switch (reason) {
    case 'completed':
      return { code: 'run-completed', params: {} };
    case 'stopped':
      return { code: 'run-stopped', params: {} };
    case 'time-limit':
      return { code: 'time-limit', params: { seconds: limits.wallSeconds } };
    case 'output-limit':
      return { code: 'output-limit', params: { bytes: limits.outputBytes } };
    case 'memory-limit':
      return { code: 'memory-limit', params: { bytes: limits.memoryBytes } };
    case 'cpu-limit':
      return { code: 'cpu-limit', params: { seconds: limits.cpuSeconds } };
    case 'process-limit':
      return { code: 'process-limit', params: { count: limits.pids } };
    case 'error':
      return { code: 'sandbox-failed', params: {} };
  }
}
