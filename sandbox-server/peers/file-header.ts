/**
 * The file-transfer peers' framing: one JSON line `{"name": …, "size": …, "sha256": …}` + "\n"
 * (UTF-8), then exactly `size` bytes of the file. A line is the simplest header a learner can
 * write and read (json.dumps / readline), and its "\n" shows where the bytes begin; the size
 * says where they end, so several files can follow each other on one connection.
 */

/** Longest header line accepted, "\n" included: a name and two numbers fit in far less. */
export const MAX_HEADER_BYTES = 1024;

/** A file's header as sent before its bytes. */
export interface FileHeader {
  name: string;
  size: number;
  sha256: string;
}

/** Why a header line was refused. */
export type HeaderError =
  | { reason: 'too-long'; max: number }
  | { reason: 'not-json'; text: string }
  | { reason: 'fields'; text: string }
  | { reason: 'too-large'; size: number; max: number };

/** The header line for `header`, "\n" included. */
export function encodeHeader(header: FileHeader): Buffer {
  const { name, size, sha256 } = header;
  return Buffer.from(`${JSON.stringify({ name, size, sha256 })}\n`, 'utf8');
}

/** Parses one header line (without its "\n"); a file above `maxSize` bytes is refused. */
export function parseHeader(line: Buffer, maxSize: number): FileHeader | HeaderError {
  const text = line.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { reason: 'not-json', text: shown(text) };
  }
  const { name, size, sha256 } = (value ?? {}) as Record<string, unknown>;
  const sizeOk = typeof size === 'number' && Number.isSafeInteger(size) && size >= 0;
  if (typeof name !== 'string' || !sizeOk || typeof sha256 !== 'string')
    return { reason: 'fields', text: shown(text) };
  if (size > maxSize) return { reason: 'too-large', size, max: maxSize };
  return { name, size, sha256: sha256.toLowerCase() };
}

/** True when `parsed` is an error rather than a header. */
export function isHeaderError(parsed: FileHeader | HeaderError): parsed is HeaderError {
  return 'reason' in parsed;
}

/** At most 120 characters of a bad header, JSON-quoted, for a log line or a report. */
function shown(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}
