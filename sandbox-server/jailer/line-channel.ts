/**
 * One JSON value per line over a stream socket: how the front and the jailer talk. A line longer
 * than the limit closes the channel (the other side is broken or hostile; reading on would let
 * it grow this process's memory without bound). Lines that are not JSON are passed on as errors.
 */
import type { Socket } from 'node:net';

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
  private readonly handlers: ChannelHandlers;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(socket: Socket, maxLineBytes: number, handlers: ChannelHandlers) {
    this.socket = socket;
    this.maxLineBytes = maxLineBytes;
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

  /** Sends one value; silently dropped once the channel is closed. */
  send(value: unknown): void {
    if (this.open) this.socket.write(`${JSON.stringify(value)}\n`);
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
    this.handlers.message(value);
  }

  private overflow(): void {
    this.handlers.invalid(`a line longer than ${this.maxLineBytes} bytes; closing the channel`);
    this.socket.destroy();
  }
}
