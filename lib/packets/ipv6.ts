/**
 * The IPv6 header (RFC 8200) and the extension headers between it and the transport header:
 * hop-by-hop, routing, destination options, mobility and HIP/shim6 share one length format,
 * fragment headers are 8 bytes, AH counts in 4-byte words; ESP hides the rest.
 */
import { formatIpv6 } from './address.ts';
import { u16 } from './bytes.ts';
import type { BadIp, IpPacket } from './ip.ts';

const EXTENSIONS = new Set([0, 43, 60, 135, 139, 140]);
const FRAGMENT = 44;
const AUTHENTICATION = 51;
/** More extension headers than any real packet carries: stop there rather than walk on. */
const MAX_EXTENSIONS = 16;

/** Reads the IPv6 header at `offset` and skips its extension headers. */
export function parseIpv6(frame: Uint8Array, offset: number, wireEnd: number): IpPacket | BadIp {
  if (frame.length < offset + 40) return { bad: 'truncated IPv6 header' };
  const version = frame[offset]! >> 4;
  if (version !== 6) return { bad: `IP version ${version} in an IPv6 frame` };
  // A payload length of 0 means a jumbogram or offload; the frame's own length stands in.
  const declared = u16(frame, offset + 4) || wireEnd - offset - 40;
  const packet: IpPacket = {
    version: 6,
    src: formatIpv6(frame, offset + 8),
    dst: formatIpv6(frame, offset + 24),
    protocol: frame[offset + 6]!,
    payloadOffset: offset + 40,
    payloadLength: declared,
    laterFragment: false,
  };
  if (offset + 40 + declared > wireEnd) packet.bad = 'IPv6 payload length exceeds the frame';
  const end = offset + 40 + declared;
  for (let count = 0; isExtension(packet.protocol); count++) {
    const at = packet.payloadOffset;
    if (count === MAX_EXTENSIONS)
      return { ...packet, bad: 'too many IPv6 extension headers', broken: true };
    if (frame.length < at + 8)
      return { ...packet, bad: 'truncated IPv6 extension header', broken: true };
    const length = extensionLength(packet.protocol, frame[at + 1]!);
    if (packet.protocol === FRAGMENT && (u16(frame, at + 2) & 0xfff8) !== 0)
      packet.laterFragment = true;
    if (at + length > end)
      return { ...packet, bad: 'IPv6 extension header overruns the packet', broken: true };
    packet.protocol = frame[at]!;
    packet.payloadOffset = at + length;
    packet.payloadLength -= length;
  }
  return packet;
}

function isExtension(protocol: number): boolean {
  return EXTENSIONS.has(protocol) || protocol === FRAGMENT || protocol === AUTHENTICATION;
}

function extensionLength(protocol: number, lengthField: number): number {
  if (protocol === FRAGMENT) return 8;
  if (protocol === AUTHENTICATION) return (lengthField + 2) * 4;
  return (lengthField + 1) * 8;
}
