/**
 * The sandbox server's log: one line per event on stdout, faults with their stack on stderr.
 * Each run gets exactly one line (id, lesson, address, time queued, duration, how it ended).
 */
import type { RunLogEntry } from './run-session.ts';
import type { ServerLog } from './server.ts';

const stamp = (): string => new Date().toISOString();

/** A ServerLog writing to the console. */
export function consoleLog(): ServerLog {
  return {
    info: (line) => console.log(`${stamp()} ${line}`),
    fault: (what, error) => {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`${stamp()} FAULT ${what}: ${detail}`);
    },
    run: (entry) => console.log(`${stamp()} ${formatRunLine(entry)}`),
  };
}

/** `run <id> lesson=<slug|-> reason=<why> duration=<ms> queued=<ms> from=<address>` */
export function formatRunLine(entry: RunLogEntry): string {
  const ms = (value: number): string => `${Math.round(value)}ms`;
  return [
    `run ${entry.runId}`,
    `lesson=${entry.lesson ?? '-'}`,
    `reason=${entry.reason}`,
    `duration=${ms(entry.durationMs)}`,
    `queued=${ms(entry.queuedMs)}`,
    `from=${entry.address}`,
  ].join(' ');
}
