/**
 * HANDSHAKE_LOG_FORMAT=pretty: the JSON records made readable by pino-pretty, one line each,
 * written synchronously so a line is out before the process exits. For a terminal only.
 */
import { build, prettyFactory } from 'pino-pretty';
import type { DestinationStream } from 'pino';

const OPTIONS = {
  colorize: Boolean(process.stdout.isTTY),
  translateTime: 'SYS:HH:MM:ss.l',
  ignore: 'pid,hostname',
  singleLine: true,
};

/** A stream that prints each JSON record written to it readably on `fd` (stdout or stderr). */
export function prettyStream(fd: 1 | 2 = 1): DestinationStream {
  return build({ ...OPTIONS, sync: true, destination: fd });
}

/** Formats one JSON line for the terminal; a line that is not a JSON record is kept as it is. */
export function prettyLine(): (line: string) => string {
  const format = prettyFactory(OPTIONS);
  return (line) => {
    try {
      const record: unknown = JSON.parse(line);
      if (typeof record === 'object' && record !== null) return format(record);
    } catch {
      // not JSON: shown as it is
    }
    return `${line}\n`;
  };
}
