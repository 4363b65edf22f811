/** What a process printed: its stdout lines and the exception its traceback ends with. */
import type { RunRecord } from '../lessons/define.ts';
import { processOf } from './process.ts';

/** The stdout lines of process `proc`, trimmed, empty lines dropped. */
export function stdoutLines(run: RunRecord, proc: string): string[] {
  const stdout = processOf(run, proc)?.stdout ?? '';
  return stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/**
 * True when some stdout line of `proc` contains `expected` (trimmed), whole or as part of the
 * line, so `print(reply)` and `print("reply:", reply)` both count. An empty `expected` never
 * matches: it would pass any output.
 */
export function printedLine(run: RunRecord, proc: string, expected: string): boolean {
  const wanted = expected.trim();
  if (wanted === '') return false;
  return stdoutLines(run, proc).some((line) => line.includes(wanted));
}

/** An exception line: a (dotted) name at the start of a line, then optionally `: message`. */
const EXCEPTION_LINE = /^[A-Za-z_][\w.]*(?::.*)?$/;
/** Lines that open a traceback: its header, or the `File` line a SyntaxError starts with. */
const TRACEBACK_START = /^(Traceback \(most recent call last\):|\s+File ".*", line \d+)/;

/**
 * The last line of the last Python traceback process `proc` wrote to stderr, e.g.
 * `ConnectionRefusedError: [Errno 111] Connection refused`; undefined when there is none.
 */
export function lastException(run: RunRecord, proc: string): string | undefined {
  const lines = (processOf(run, proc)?.stderr ?? '').split(/\r?\n/);
  let start = -1;
  lines.forEach((line, index) => {
    if (TRACEBACK_START.test(line)) start = index;
  });
  if (start < 0) return undefined;
  // The exception line is the first unindented line after the traceback's last frame.
  const found = lines.slice(start + 1).find((line) => !/^\s/.test(line) && line.trim() !== '');
  return found && EXCEPTION_LINE.test(found) ? found.trimEnd() : undefined;
}
