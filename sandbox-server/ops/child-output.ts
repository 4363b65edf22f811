/**
 * Puts a child's plain-text output into the JSON log: each line becomes one record of `logger`
 * (which names the child as its process). A line that already is a JSON record is passed on
 * as it is; the `<ISO time> <name>: ` prefix of the jailer's own lines is dropped, since the
 * record has its own time and process.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Logger } from './log.ts';

const PREFIX = /^\d{4}-\d\d-\d\dT[\d:.]+Z \w+: /;

/** Relays every line of `stream` into `logger` at `level` until the stream ends. */
export function relayLines(
  stream: Readable,
  logger: Logger,
  level: 'info' | 'warn',
  passThrough: (line: string) => void,
): void {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    if (isRecord(line)) return passThrough(line);
    logger[level](line.replace(PREFIX, ''));
  });
}

function isRecord(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    const value = JSON.parse(line) as { level?: unknown; msg?: unknown };
    return typeof value.level === 'string' && typeof value.msg === 'string';
  } catch {
    return false;
  }
}
