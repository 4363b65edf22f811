/**
 * What the HTTP peers need beyond node:http: the raw bytes of a message's head as they came off
 * the wire (Node's parser keeps none of it), a diagnosis of what is wrong with a head the parser
 * refused, said in the learner's terms ("line 1 ends with \n, not \r\n"), and how a message's
 * body is delimited.
 */
import type { PeerLine } from '../../lib/notices/peer-lines.ts';
import { quote } from './peer-io.ts';

/** Most bytes of a head kept: Node's own limit for a whole head is 16 KiB. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** Most bytes of a body read, a request's or a response's. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** How a message's body is delimited. */
export type Framing = 'content-length' | 'chunked' | 'close';

/** Keeps the bytes of the message a connection is receiving, from its first byte, bounded. */
export class HeadRecorder {
  private kept = Buffer.alloc(0);
  private toSkip = 0;

  /** Records a chunk read from the connection. */
  push(chunk: Buffer): void {
    let data = chunk;
    if (this.toSkip > 0) {
      const skipped = Math.min(this.toSkip, data.length);
      this.toSkip -= skipped;
      data = data.subarray(skipped);
    }
    if (data.length === 0 || this.kept.length >= MAX_HEAD_BYTES) return;
    this.kept = Buffer.concat([this.kept, data.subarray(0, MAX_HEAD_BYTES - this.kept.length)]);
  }

  /** The bytes of the message begun so far (its head, possibly cut, and what followed). */
  get current(): Buffer {
    return this.kept;
  }

  /**
   * Takes the head of the current message, through its empty line; the `bodyBytes` that follow
   * it are dropped, so what is kept next is the next message's head.
   */
  takeHead(bodyBytes: number): Buffer {
    const end = headEnd(this.kept);
    if (end < 0) {
      const head = this.kept;
      this.clear();
      return head;
    }
    const head = this.kept.subarray(0, end);
    const rest = this.kept.subarray(end);
    const skipped = Math.min(bodyBytes, rest.length);
    this.kept = Buffer.from(rest.subarray(skipped));
    this.toSkip = bodyBytes - skipped;
    return head;
  }

  /** Forgets everything (a body of unknown raw length ended: the next message starts afresh). */
  clear(): void {
    this.kept = Buffer.alloc(0);
    this.toSkip = 0;
  }
}

/** The offset just past the empty line that ends a head ("\r\n\r\n", or lenient "\n\n"), or -1. */
export function headEnd(bytes: Buffer): number {
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) {
    if (bytes[at + 1] === 0x0a) return at + 2;
    if (bytes[at + 1] === 0x0d && bytes[at + 2] === 0x0a) return at + 3;
  }
  return -1;
}

/** What is wrong with a head, in terms a learner can act on. */
export type HeadProblem =
  /** A line ends with "\n" alone: HTTP ends every line of a head with "\r\n". */
  | { reason: 'bare-lf'; line: number; text: string }
  /** The request line ("GET /path HTTP/1.1") or status line ("HTTP/1.1 200 OK") is malformed. */
  | { reason: 'bad-start-line'; line: 1; text: string }
  /** A header line is not "Name: value". */
  | { reason: 'bad-header-line'; line: number; text: string }
  /** The head passed MAX_HEAD_BYTES (Node's limit) without its empty line. */
  | { reason: 'head-too-large' }
  /** The head never ended: no empty line came before the time ran out or the connection ended. */
  | { reason: 'incomplete' }
  /** Anything else the parser refused: its own words are all there is. */
  | { reason: 'other' };

const REQUEST_LINE = /^[A-Z]+ \S+ HTTP\/\d\.\d$/;
const STATUS_LINE = /^HTTP\/\d\.\d \d{3}( [^\r\n]*)?$/;
const HEADER_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[^\r\n]*$/;

/**
 * Why Node's parser refused `raw` (a request's head or a response's, per `kind`), given its
 * error code: the first line that breaks the rules, read from the bytes themselves.
 */
export function diagnoseHead(
  raw: Buffer,
  kind: 'request' | 'response',
  nodeCode?: string,
): HeadProblem {
  if (nodeCode === 'HPE_HEADER_OVERFLOW') return { reason: 'head-too-large' };
  const text = raw.toString('latin1');
  const end = headEnd(raw);
  const head = end < 0 ? text : text.slice(0, end);
  const lines = head.split('\n');
  // The last piece follows the final "\n": the empty remainder of a complete head, or a line cut off.
  const complete = lines.slice(0, -1);
  for (const [index, line] of complete.entries()) {
    if (!line.endsWith('\r')) return { reason: 'bare-lf', line: index + 1, text: line };
  }
  const start = complete[0]?.slice(0, -1);
  const pattern = kind === 'request' ? REQUEST_LINE : STATUS_LINE;
  if (start !== undefined && !pattern.test(start))
    return { reason: 'bad-start-line', line: 1, text: start };
  for (const [index, line] of complete.slice(1).entries()) {
    const bare = line.slice(0, -1);
    if (bare !== '' && !HEADER_LINE.test(bare))
      return { reason: 'bad-header-line', line: index + 2, text: bare };
  }
  return end < 0 ? { reason: 'incomplete' } : { reason: 'other' };
}

/** How a message with these (lowercased) headers delimits its body. */
export function framingOf(headers: Record<string, string | string[] | undefined>): Framing {
  if (/\bchunked\b/i.test(String(headers['transfer-encoding'] ?? ''))) return 'chunked';
  if (headers['content-length'] !== undefined) return 'content-length';
  return 'close';
}

/** Most characters of a body shown in a terminal line: the line is about the exchange. */
const PREVIEW_CHARS = 60;

/** A body as a short quoted string for a terminal line. */
export function preview(text: string): string {
  const shown = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
  return JSON.stringify(shown);
}

/** The line that explains a head's problem to the learner (none for a problem without words). */
export function problemLine(problem: HeadProblem, kind: 'request' | 'response'): PeerLine | null {
  switch (problem.reason) {
    case 'bare-lf':
      return {
        code: 'peer-http-bare-lf',
        params: { line: problem.line, text: quote(problem.text) },
      };
    case 'bad-start-line':
      return { code: 'peer-http-bad-start-line', params: { kind, text: quote(problem.text) } };
    case 'bad-header-line':
      return {
        code: 'peer-http-bad-header-line',
        params: { line: problem.line, text: quote(problem.text) },
      };
    case 'head-too-large':
      return { code: 'peer-http-head-too-large', params: { max: MAX_HEAD_BYTES } };
    case 'incomplete':
      return { code: 'peer-http-head-incomplete', params: {} };
    default:
      return null;
  }
}
