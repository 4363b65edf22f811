/** The UDP header (RFC 768). */
import { u16 } from './bytes.ts';

/** A decoded UDP header. */
export interface UdpHeader {
  sport: number;
  dport: number;
  payloadLength: number;
  payloadOffset: number;
  /** The length field disagrees with the IP header. */
  bad?: string;
}

/** Reads the UDP header at `offset` of a datagram `length` bytes long (per the IP header). */
export function parseUdp(
  frame: Uint8Array,
  offset: number,
  length: number,
): UdpHeader | { bad: string } {
  if (frame.length < offset + 8 || length < 8) return { bad: 'truncated UDP header' };
  const header: UdpHeader = {
    sport: u16(frame, offset),
    dport: u16(frame, offset + 2),
    payloadLength: length - 8,
    payloadOffset: offset + 8,
  };
  const declared = u16(frame, offset + 4);
  // 0 is a jumbogram's length over IPv6; otherwise it must fit what IP carried.
  if (declared !== 0 && (declared < 8 || declared > length)) header.bad = 'bad UDP length';
  else if (declared !== 0) header.payloadLength = declared - 8;
  return header;
}
