/**
 * One JSON value per line over a stream socket: how the front and the jailer talk. A value whose
 * line would be longer than the line limit (a run's record: JSON escapes a control character
 * learner code printed to six bytes) travels as pieces, each a line of its own, and is put back
 * together on arrival, up to the receiver's message limit. A line or a message beyond its limit
 * closes the channel (the other side is broken or hostile; reading on would let it grow this
 * process's memory without bound). Lines that are not JSON are passed on as errors.
 */
import type { Socket } from 'node:net';

/** How much one channel takes in: both sides must use the same line limit. */
export interface ChannelLimits {
  /** Longest line, and so the longest value sent in one piece. */
  maxLineBytes: number;
  /** Largest value put back together from pieces, in characters of its JSON text. */
  maxMessageChars: number;
}

/**
 * A piece of a value too long for one line: `{"$piece": text, "$last": bool}`. No message of
 * either protocol has a key starting with `$`.
 */
interface Piece {
  $piece: string;
  $last: boolean;
}

/** A JSON string escapes a UTF-16 unit to at most six bytes; the wrapper adds a few. */
const MAX_ESCAPED_BYTES_PER_CHAR = 6;
const PIECE_OVERHEAD_BYTES = 64;

/** What the owner of a channel hears. */
export interface ChannelHandlers {
  /** A parsed line. */
  message(value: unknown): void;
  /** A line that is not JSON, or one too long (then the channel closes). */
  invalid(why: string): void;
  /** The other side is gone (or the channel was closed here). Called once. */
  closed(): void;
}

/** Newline-delimited JSON over `socket`. */
export class LineChannel {
  private readonly socket: Socket;
  private readonly maxLineBytes: number;
  private readonly maxMessageChars: number;
  private readonly handlers: ChannelHandlers;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Pieces of the value being put back together. */
  private pieces: string[] = [];
  private pieceChars = 0;

  constructor(socket: Socket, limits: ChannelLimits, handlers: ChannelHandlers) {
    this.socket = socket;
    this.maxLineBytes = limits.maxLineBytes;
    this.maxMessageChars = limits.maxMessageChars;
    this.handlers = handlers;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.once('close', () => handlers.closed());
    socket.resume();
  }

  /** True while the other side can be written to. */
  get open(): boolean {
    return !this.socket.destroyed && this.socket.writable;
  }

  /** Sends one value, in pieces if its line would be too long; dropped once the channel is closed. */
  send(value: unknown): void {
    if (!this.open) return;
    const text = JSON.stringify(value);
    if (Buffer.byteLength(text) < this.maxLineBytes) return void this.socket.write(`${text}\n`);
    const pieceChars = Math.floor(
      (this.maxLineBytes - PIECE_OVERHEAD_BYTES) / MAX_ESCAPED_BYTES_PER_CHAR,
    );
    for (let at = 0; at < text.length; at += pieceChars) {
      // A cut through a surrogate pair is fine: JSON keeps each half, and joining restores it.
      const piece: Piece = {
        $piece: text.slice(at, at + pieceChars),
        $last: at + pieceChars >= text.length,
      };
      this.socket.write(`${JSON.stringify(piece)}\n`);
    }
  }

  /** Closes the channel. */
  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
      if (this.pendingBytes + newline - start > this.maxLineBytes) return this.overflow();
      this.pending.push(chunk.subarray(start, newline));
      const line = Buffer.concat(this.pending).toString('utf8');
      this.pending = [];
      this.pendingBytes = 0;
      start = newline + 1;
      this.parse(line);
      if (this.socket.destroyed) return;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) this.overflow();
    }
  }

  private parse(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return this.handlers.invalid(`not JSON: ${line.slice(0, 80)}`);
    }
    if (isPiece(value)) return this.join(value);
    this.handlers.message(value);
  }

  /** Adds a piece; the last one completes the value. */
  private join(piece: Piece): void {
    this.pieceChars += piece.$piece.length;
    if (this.pieceChars > this.maxMessageChars)
      return this.refuse(`a value longer than ${this.maxMessageChars} characters`);
    this.pieces.push(piece.$piece);
    if (!piece.$last) return;
    const text = this.pieces.join('');
    this.pieces = [];
    this.pieceChars = 0;
    this.parse(text);
  }

  private overflow(): void {
    this.refuse(`a line longer than ${this.maxLineBytes} bytes`);
  }

  private refuse(why: string): void {
    this.handlers.invalid(`${why}; closing the channel`);
    this.socket.destroy();
  }
}

function isPiece(value: unknown): value is Piece {
  if (typeof value !== 'object' || value === null) return false;
  const piece = value as Partial<Piece>;
  return typeof piece.$piece === 'string' && typeof piece.$last === 'boolean';
}
