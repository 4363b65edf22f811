import type { RunState } from '../../lib/client/run-state.ts';
import type { UiText } from '../_i18n/ui-text.ts';
import { formatSeconds } from './process-status.tsx';

/** One sentence saying where the run is, for the status line and screen readers. */
export function describeRun(run: RunState, t: UiText): string {
  switch (run.phase) {
    case 'idle':
      return t.phase.idle;
    case 'starting':
      return t.phase.starting;
    case 'queued':
      return t.phase.queued(run.queuePosition ?? 1);
    case 'running':
      return run.problem?.kind === 'error'
        ? `${t.phase.running} ${t.notice(run.problem.notice)}`
        : t.phase.running;
    case 'finished':
      return describeFinished(run, t);
  }
}

function describeFinished(run: RunState, t: UiText): string {
  const problem = run.problem;
  // The server's notice says it all (busy: when to try again, once); nothing is added to it.
  if (problem?.kind === 'busy') return t.notice(problem.notice);
  if (problem?.kind === 'connection-lost') return t.problem.connectionLost;
  if (problem?.kind === 'error' && !run.finished) return t.notice(problem.notice);
  const parts = [
    run.finished ? t.phase.finished(formatSeconds(run.finished.durationMs).replace(/ s$/, '')) : '',
  ];
  if (run.checks?.length) {
    const passed = run.checks.filter((c) => c.status === 'pass').length;
    parts.push(
      passed === run.checks.length
        ? t.allChecksPassed
        : `${t.checks}: ${t.checksSummary(passed, run.checks.length)}.`,
    );
  }
  return parts.filter(Boolean).join(' ');
}
