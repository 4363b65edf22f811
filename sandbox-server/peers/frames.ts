/**
 * Message framing over a TCP byte stream, as tcp-framer speaks it: `line` (UTF-8 text ending in
 * "\n") or `length` (a 4-byte big-endian length, then that many bytes of UTF-8). The decoder
 * takes bytes as they arrive, in pieces of any size, and yields whole messages.
 */

export type Framing = 'line' | 'length';

/** Most bytes one message may hold: a larger one is a framing error, not a memory hog. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
const HEADER_BYTES = 4;

/** Why the bytes did not parse as messages. */
export type FramingError =
  | { reason: 'length-too-long'; announced: number; max: number }
  | { reason: 'line-too-long'; max: number }
  | { reason: 'incomplete'; bytes: number }
  | { reason: 'not-utf8'; hex: string };

/** `text` framed for the wire. */
export function encodeFrame(text: string, framing: Framing): Buffer {
  const payload = Buffer.from(text, 'utf8');
  if (framing === 'line') return Buffer.concat([payload, Buffer.from('\n')]);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(payload.length);
  return Buffer.concat([header, payload]);
}

/** Splits a byte stream into messages; after an error it takes nothing more. */
export class FrameDecoder {
  private buffered = Buffer.alloc(0);
  private failed = false;
  private readonly framing: Framing;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(framing: Framing) {
    this.framing = framing;
  }

  /** The messages completed by `data`, and the error that stopped parsing, if one did. */
  push(data: Buffer): { messages: string[]; error?: FramingError } {
    if (this.failed) return { messages: [] };
    this.buffered = Buffer.concat([this.buffered, data]);
    const messages: string[] = [];
    for (;;) {
      const next = this.framing === 'line' ? this.nextLine() : this.nextLengthPrefixed();
      if (next === null) return { messages };
      if ('reason' in next) {
        this.failed = true;
        return { messages, error: next };
      }
      messages.push(next.text);
    }
  }

  /** At the end of the stream: an error when a message was cut off. */
  end(): FramingError | undefined {
    if (this.failed || this.buffered.length === 0) return undefined;
    return { reason: 'incomplete', bytes: this.buffered.length };
  }

  private nextLine(): { text: string } | FramingError | null {
    const newline = this.buffered.indexOf(0x0a);
    if (newline < 0) {
      if (this.buffered.length > MAX_MESSAGE_BYTES)
        return { reason: 'line-too-long', max: MAX_MESSAGE_BYTES };
      return null;
    }
    return this.take(newline, newline + 1);
  }

  private nextLengthPrefixed(): { text: string } | FramingError | null {
    if (this.buffered.length < HEADER_BYTES) return null;
    const announced = this.buffered.readUInt32BE(0);
    if (announced > MAX_MESSAGE_BYTES)
      return { reason: 'length-too-long', announced, max: MAX_MESSAGE_BYTES };
    if (this.buffered.length < HEADER_BYTES + announced) return null;
    const payload = this.buffered.subarray(HEADER_BYTES, HEADER_BYTES + announced);
    this.buffered = this.buffered.subarray(HEADER_BYTES + announced);
    return this.decode(payload);
  }

  /** The first `length` bytes as a message; `consumed` bytes (with the "\n") are dropped. */
  private take(length: number, consumed: number): { text: string } | FramingError {
    const payload = this.buffered.subarray(0, length);
    this.buffered = this.buffered.subarray(consumed);
    return this.decode(payload);
  }

  private decode(payload: Buffer): { text: string } | FramingError {
    try {
      return { text: this.utf8.decode(payload) };
    } catch {
      return { reason: 'not-utf8', hex: hexOf(payload) };
    }
  }
}

/** Most bytes shown in a `not-utf8` error. */
const SHOWN_BYTES = 32;

function hexOf(bytes: Buffer): string {
  const shown = [...bytes.subarray(0, SHOWN_BYTES)].map((b) => b.toString(16).padStart(2, '0'));
  return shown.join(' ') + (bytes.length > SHOWN_BYTES ? ' …' : '');
}
