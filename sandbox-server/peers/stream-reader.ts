/**
 * Reads a TCP socket by byte counts with timeouts: TCP is a byte stream, so an echo may arrive
 * in several pieces (or together with more), and the client must wait for exactly what it sent.
 */
import type net from 'node:net';

/** How the other side ended the connection, once it has. */
export type CloseState = 'open' | 'closed' | 'reset';

/** Most bytes buffered by default: beyond it the socket is paused (the sender is held back). */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Buffers a socket's incoming bytes and lets the caller wait for a number of them. */
export class StreamReader {
  private buffered = Buffer.alloc(0);
  private state: CloseState = 'open';
  private wake: (() => void) | null = null;
  private readonly socket: net.Socket;
  private readonly maxBytes: number;

  constructor(socket: net.Socket, maxBytes = MAX_BUFFERED_BYTES) {
    this.socket = socket;
    this.maxBytes = maxBytes;
    socket.on('data', (data) => {
      this.buffered = Buffer.concat([this.buffered, data]);
      // A server that floods this client must not grow its memory without end.
      if (this.full) socket.pause();
      this.notify();
    });
    socket.on('end', () => this.end('closed'));
    socket.on('error', () => this.end('reset'));
    socket.on('close', () => this.end('closed'));
  }

  /** Waits for `count` bytes; returns fewer when the peer closes or the timeout passes first. */
  async read(count: number, timeoutMs: number): Promise<Buffer> {
    await this.until(() => this.buffered.length >= count || this.state !== 'open', timeoutMs);
    const taken = this.buffered.subarray(0, count);
    this.buffered = this.buffered.subarray(taken.length);
    if (!this.full && this.state === 'open') this.socket.resume();
    return taken;
  }

  /**
   * Waits for the other side to close; returns how it ended ('open' if it did not in time),
   * what came before, and whether reading stopped because that filled the buffer.
   */
  async closed(timeoutMs: number): Promise<{ state: CloseState; extra: Buffer; full: boolean }> {
    await this.until(() => this.state !== 'open' || this.full, timeoutMs);
    return { state: this.state, extra: this.buffered, full: this.full };
  }

  private get full(): boolean {
    return this.buffered.length >= this.maxBytes;
  }

  private end(state: 'closed' | 'reset'): void {
    if (this.state === 'open') this.state = state;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private async until(done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
