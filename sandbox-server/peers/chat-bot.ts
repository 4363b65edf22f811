/**
 * One chat bot's connection: it splits what the server sends into lines (decoding each whole
 * line, so a boundary inside a multibyte character does no harm) and hands each to the chat,
 * with bounded memory whatever the server sends. A slow bot reads nothing at all: the server's
 * bytes pile up in its receive buffer until its window is zero.
 */
import type net from 'node:net';

/** Longest line kept (the flood's lines are 4 KiB); beyond it the rest of the line is dropped. */
export const MAX_LINE_BYTES = 64 * 1024;

/** How a bot's connection stands. */
export type BotState = 'open' | 'closed' | 'reset';

/** A bot in the chat. */
export class ChatBot {
  readonly index: number;
  readonly nick: string;
  readonly slow: boolean;
  readonly socket: net.Socket;
  state: BotState = 'open';
  /** Lines read, and filler lines among them. */
  lines = 0;
  floodLines = 0;
  /** Lines cut short because they were longer than MAX_LINE_BYTES. */
  overlong = 0;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private skipping = false;

  constructor(index: number, nick: string, slow: boolean, socket: net.Socket) {
    this.index = index;
    this.nick = nick;
    this.slow = slow;
    this.socket = socket;
  }

  /** Starts reading (never for the slow bot), calling `onLine` per line and `onEnd` once. */
  listen(onLine: (bot: ChatBot, line: string) => void, onEnd: (bot: ChatBot) => void): void {
    const ended = (state: 'closed' | 'reset') => {
      if (this.state !== 'open') return;
      this.state = state;
      onEnd(this);
    };
    this.socket.on('error', () => ended('reset'));
    this.socket.on('end', () => ended('closed'));
    this.socket.on('close', () => ended('closed'));
    // A paused socket that has no 'data' listener is never read: the kernel buffers fill.
    if (this.slow) this.socket.pause();
    else this.socket.on('data', (chunk: Buffer) => this.take(chunk, onLine));
  }

  /** Splits `chunk` into complete lines, keeping the unfinished end for the next chunk. */
  private take(chunk: Buffer, onLine: (bot: ChatBot, line: string) => void): void {
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      this.keep(chunk.subarray(start, end));
      const line = Buffer.concat(this.partial).toString('utf8').replace(/\r$/, '');
      const skipped = this.skipping;
      this.partial = [];
      this.partialBytes = 0;
      this.skipping = false;
      start = end + 1;
      if (skipped) continue;
      this.lines += 1;
      onLine(this, line);
    }
    this.keep(chunk.subarray(start));
  }

  /** Keeps part of an unfinished line, unless the line is already too long. */
  private keep(piece: Buffer): void {
    if (this.skipping || piece.length === 0) return;
    if (this.partialBytes + piece.length > MAX_LINE_BYTES) {
      this.skipping = true;
      this.overlong += 1;
      this.partial = [];
      this.partialBytes = 0;
      return;
    }
    this.partial.push(piece);
    this.partialBytes += piece.length;
  }
}
