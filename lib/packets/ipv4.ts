/** The IPv4 header (RFC 791), options skipped by the header length. */
import { formatIpv4 } from './address.ts';
import { u16 } from './bytes.ts';
import type { BadIp, IpPacket } from './ip.ts';

/** Reads the IPv4 header at `offset`; `wireEnd` is the frame's length on the wire. */
export function parseIpv4(frame: Uint8Array, offset: number, wireEnd: number): IpPacket | BadIp {
  if (frame.length < offset + 20) return { bad: 'truncated IPv4 header' };
  const first = frame[offset]!;
  if (first >> 4 !== 4) return { bad: `IP version ${first >> 4} in an IPv4 frame` };
  const headerLength = (first & 0x0f) * 4;
  const packet: IpPacket = {
    version: 4,
    src: formatIpv4(frame, offset + 12),
    dst: formatIpv4(frame, offset + 16),
    protocol: frame[offset + 9]!,
    payloadOffset: offset + headerLength,
    payloadLength: 0,
    laterFragment: (u16(frame, offset + 6) & 0x1fff) !== 0,
  };
  if (headerLength < 20)
    return {
      ...packet,
      payloadOffset: offset + 20,
      bad: 'IPv4 header length below 20',
      broken: true,
    };
  if (frame.length < offset + headerLength)
    return { ...packet, bad: 'truncated IPv4 options', broken: true };
  // Segmentation offload can leave the total length 0; the frame's own length stands in.
  const totalLength = u16(frame, offset + 2) || wireEnd - offset;
  if (totalLength < headerLength)
    return { ...packet, bad: 'IPv4 total length shorter than its header', broken: true };
  packet.payloadLength = totalLength - headerLength;
  if (offset + totalLength > wireEnd) packet.bad = 'IPv4 total length exceeds the frame';
  return packet;
}
