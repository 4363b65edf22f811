/**
 * The sandbox server's log as the transport sees it (ServerLog), written as JSON lines through
 * a pino logger (ops/log.ts): events at info, faults at error with their stack, and exactly one
 * line per run with runId, lesson, outcome, durationMs, queuedMs and the client's address. Never
 * the run's files, output, input or token: the entry does not carry them.
 */
import type { Logger } from '../ops/log.ts';
import type { RunLogEntry } from './run-session.ts';
import type { ServerLog } from './server.ts';

/** A ServerLog writing to `logger`; `onRun` also hears of every run (for /metrics). */
export function serverLog(logger: Logger, onRun?: (entry: RunLogEntry) => void): ServerLog {
  return {
    info: (line) => logger.info(line),
    fault: (what, error) => logger.error({ err: error }, what),
    run: (entry) => {
      logger.info(runFields(entry), 'run');
      onRun?.(entry);
    },
  };
}

/** The fields of a run's log line: what it was and how it ended, nothing it contained. */
export function runFields(entry: RunLogEntry): Record<string, unknown> {
  return {
    runId: entry.runId,
    lesson: entry.lesson ?? null,
    outcome: entry.reason,
    durationMs: Math.round(entry.durationMs),
    queuedMs: Math.round(entry.queuedMs),
    address: entry.address,
  };
}
