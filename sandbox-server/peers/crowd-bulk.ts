/**
 * The crowd's bulk line: one line of many seeded bytes, written whole before any of its echo is
 * read. Loopback socket buffers take a few MiB, so a line under that is always sent whole by a
 * server that ignores what send() returns; a line larger than they hold, unread, makes the
 * server's non-blocking send() take only part, every time. The line is a short seeded block
 * repeated, never held whole: memory stays bounded whatever its size.
 */
import type net from 'node:net';
import type { Expand } from './payload.ts';
import type { StreamReader } from './stream-reader.ts';

/** Words in the repeated block: about 4 KB of text. */
const BLOCK_WORDS = 600;
/** Bytes written, and read, at a time. */
const CHUNK_BYTES = 64 * 1024;
/** Characters of the line shown in reports and on the terminal. */
const PREVIEW_CHARS = 60;

/** A bulk line: `bytes` long, the block repeated and a final "\n". */
export interface BulkLine {
  block: Buffer;
  bytes: number;
}

/** How the echo of a bulk line went. */
export interface BulkEcho {
  /** Bytes received before the echo was complete, the timeout passed or the server closed. */
  got: number;
  /** How many of them, from the first, were the right ones. */
  matched: number;
  /** The start of what came back, for the report. */
  preview: string;
}

/** Draws the block of a bulk line of `bytes` from the run's text stream. */
export function bulkLineOf(expand: Expand, bytes: number): BulkLine {
  const words = Array.from({ length: BLOCK_WORDS }, () => expand('{word}'));
  return { block: Buffer.from(`${words.join(' ')} `, 'utf8'), bytes };
}

/** Byte `index` of `line`. */
const byteAt = (line: BulkLine, index: number): number =>
  index === line.bytes - 1 ? 0x0a : line.block[index % line.block.length]!;

/** Bytes `start` to `end` of `line`. */
function slice(line: BulkLine, start: number, end: number): Buffer {
  const out = Buffer.alloc(end - start);
  for (let index = start; index < end; index++) out[index - start] = byteAt(line, index);
  return out;
}

/** How a bulk line starts, shortened for a report: `…` marks the rest. */
export const bulkPreview = (line: BulkLine): string =>
  `${slice(line, 0, Math.min(PREVIEW_CHARS, line.bytes)).toString('utf8')}…`;

/**
 * Writes the whole line without reading (resolves when the kernel took it all, or after
 * `timeoutMs`: a server that blocks on its own send would otherwise hold both sides forever),
 * then reads again: the caller's reader has nothing buffered, so it stays within its bound.
 */
export async function writeBulk(socket: net.Socket, line: BulkLine, timeoutMs: number) {
  socket.pause();
  const written = (async () => {
    for (let start = 0; start < line.bytes; start += CHUNK_BYTES) {
      const chunk = slice(line, start, Math.min(line.bytes, start + CHUNK_BYTES));
      if (!socket.write(chunk)) await drained(socket);
      if (socket.destroyed) return;
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([written, late]);
  clearTimeout(timer);
  socket.resume();
}

/** Resolves when `socket` can take more, or is gone. */
function drained(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/** Reads the echo of `line` a chunk at a time, comparing as it goes; gives up after a silence. */
export async function readBulk(
  reader: StreamReader,
  line: BulkLine,
  timeoutMs: number,
): Promise<BulkEcho> {
  const echo: BulkEcho = { got: 0, matched: 0, preview: '' };
  while (echo.got < line.bytes) {
    const wanted = Math.min(CHUNK_BYTES, line.bytes - echo.got);
    const piece = await reader.read(wanted, timeoutMs);
    if (echo.got === 0) echo.preview = piece.subarray(0, PREVIEW_CHARS).toString('utf8');
    if (echo.matched === echo.got) echo.matched += matching(line, echo.got, piece);
    echo.got += piece.length;
    // Short: the timeout passed or the server closed; waiting again would only wait again.
    if (piece.length < wanted) break;
  }
  return echo;
}

/** How many bytes of `piece`, from its first, equal `line` from `offset` on. */
function matching(line: BulkLine, offset: number, piece: Buffer): number {
  let count = 0;
  while (count < piece.length && piece[count] === byteAt(line, offset + count)) count++;
  return count;
}
