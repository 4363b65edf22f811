/**
 * One log format for every process of Handshake: JSON lines (pino) with `time` (ISO 8601),
 * `level` (its name), `process` and `msg`, plus `instance` on the sandbox server and, for a run,
 * runId, lesson, outcome, durationMs. HANDSHAKE_LOG_FORMAT=pretty prints the same records
 * readably for a terminal. Fields that could carry learner code, output, tokens or secrets are
 * censored wherever they appear, as a second line of defence: callers never pass them.
 * Records of level error and above go to stderr, the rest to stdout (as the server did before).
 */
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import { prettyLine, prettyStream } from './pretty.ts';

export type LogFormat = 'json' | 'pretty';
export type { Logger };

/** Field names that must never reach a log line with their value. */
export const CENSORED_FIELDS = [
  'token',
  'code',
  'content',
  'files',
  'data',
  'output',
  'stdin',
  'secret',
  'password',
  'authorization',
  'cookie',
] as const;

const REDACT_PATHS = CENSORED_FIELDS.flatMap((field) => [field, `*.${field}`]);

/**
 * The log format HANDSHAKE_LOG_FORMAT asks for; without one (or `auto`), pretty for a person at
 * a terminal and JSON lines for everything else (a container's log, a collector, a file).
 */
export function logFormat(
  env: Readonly<Record<string, string | undefined>> = process.env,
  terminal: boolean = Boolean(process.stdout.isTTY),
): LogFormat {
  const asked = env.HANDSHAKE_LOG_FORMAT?.trim().toLowerCase();
  if (asked === 'pretty' || asked === 'json') return asked;
  return terminal ? 'pretty' : 'json';
}

export interface LoggerOptions {
  /** Added to every line (e.g. `instance`). */
  fields?: Record<string, string>;
  format?: LogFormat;
  /** Where lines go (default: stdout, errors to stderr, synchronously so none is lost at exit). */
  destination?: DestinationStream;
}

/** A logger whose every line names `processName` (main, jailer, front, judge, app). */
export function createLogger(processName: string, options: LoggerOptions = {}): Logger {
  const format = options.format ?? logFormat();
  const destination = options.destination ?? byLevel(format);
  return pino(
    {
      base: { process: processName, ...options.fields },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[censored]' },
    },
    destination,
  );
}

/** stdout for info and warnings, stderr for errors, in the format asked for. */
function byLevel(format: LogFormat): DestinationStream {
  const to = (fd: 1 | 2): DestinationStream =>
    format === 'pretty' ? prettyStream(fd) : pino.destination({ dest: fd, sync: true });
  return pino.multistream(
    [
      { level: 'trace', stream: to(1) },
      { level: 'error', stream: to(2) },
    ],
    { dedupe: true },
  );
}

/** Writes a line that already is a JSON record (from a child) in the format asked for. */
export function recordWriter(format: LogFormat = logFormat()): (line: string) => void {
  const render = format === 'pretty' ? prettyLine() : (line: string) => `${line}\n`;
  return (line) => process.stdout.write(render(line));
}
