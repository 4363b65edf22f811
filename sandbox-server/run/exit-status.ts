/**
 * How a process ended, from the outer bwrap's exit: bwrap reports a program killed by signal N
 * as exit status 128+N (as a shell does), so statuses 129–192 are read as signals. A program
 * calling sys.exit(130) is therefore shown as SIGINT, exactly as a terminal's $? would.
 */
import { constants } from 'node:os';

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(constants.signals).map(([name, number]) => [number, name]),
);

/** The exit code and signal to report for a process. */
export function describeExit(
  code: number | null,
  signal: string | null,
): { exitCode: number | null; signal: string | null } {
  if (signal) return { exitCode: null, signal };
  if (code !== null && code > 128 && code <= 128 + 64) {
    const name = SIGNAL_NAMES.get(code - 128);
    if (name) return { exitCode: null, signal: name };
  }
  return { exitCode: code, signal: null };
}
