/** The TCP header (RFC 9293): ports, numbers, flags, window, and the options a SYN announces. */
import { u16, u32 } from './bytes.ts';
import { TCP_FLAGS, type TcpFlag } from './packet.ts';

/** A decoded TCP header. */
export interface TcpHeader {
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: TcpFlag[];
  /** The raw (unscaled) window field. */
  window: number;
  optLen: number;
  mss?: number;
  wscale?: number;
  /** Payload bytes: the segment's length minus the header's. */
  payloadLength: number;
  /** Where the payload starts in the frame. */
  payloadOffset: number;
}

/** A TCP header too short or inconsistent to use; ports when they could be read. */
export interface BadTcp {
  bad: string;
  sport?: number;
  dport?: number;
}

// Bit of each flag in the header's 13th byte, in TCP_FLAGS order.
const FLAG_BITS: Record<TcpFlag, number> = {
  SYN: 0x02,
  FIN: 0x01,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
};

/** Reads the TCP header at `offset` of a segment `length` bytes long on the wire. */
export function parseTcp(frame: Uint8Array, offset: number, length: number): TcpHeader | BadTcp {
  if (frame.length < offset + 20 || length < 20) {
    const ports =
      frame.length >= offset + 4
        ? { sport: u16(frame, offset), dport: u16(frame, offset + 2) }
        : {};
    return { ...ports, bad: 'truncated TCP header' };
  }
  const sport = u16(frame, offset);
  const dport = u16(frame, offset + 2);
  const headerLength = (frame[offset + 12]! >> 4) * 4;
  if (headerLength < 20 || headerLength > length)
    return { sport, dport, bad: 'bad TCP header length' };
  const bits = frame[offset + 13]!;
  const header: TcpHeader = {
    sport,
    dport,
    seq: u32(frame, offset + 4),
    ack: u32(frame, offset + 8),
    flags: TCP_FLAGS.filter((flag) => (bits & FLAG_BITS[flag]) !== 0),
    window: u16(frame, offset + 14),
    optLen: headerLength - 20,
    payloadLength: length - headerLength,
    payloadOffset: offset + headerLength,
  };
  readOptions(frame, offset + 20, Math.min(offset + headerLength, frame.length), header);
  return header;
}

/** Picks MSS (kind 2) and window scale (kind 3) out of the options; stops at anything malformed. */
function readOptions(frame: Uint8Array, start: number, end: number, header: TcpHeader): void {
  for (let at = start; at < end;) {
    const kind = frame[at]!;
    if (kind === 0) return;
    if (kind === 1) {
      at++;
      continue;
    }
    if (at + 1 >= end) return;
    const size = frame[at + 1]!;
    if (size < 2 || at + size > end) return;
    if (kind === 2 && size === 4) header.mss = u16(frame, at + 2);
    // RFC 7323 caps the shift at 14.
    if (kind === 3 && size === 3) header.wscale = Math.min(frame[at + 2]!, 14);
    at += size;
  }
}
