/**
 * ICMP and ICMPv6 messages in words, and for error messages the flow they report on: a UDP
 * datagram sent to a closed port comes back as "port unreachable" quoting its own headers.
 */
import { u16 } from './bytes.ts';
import type { IpPacket } from './ip.ts';
import { parseIpv4 } from './ipv4.ts';
import { parseIpv6 } from './ipv6.ts';

/** A decoded ICMP message. */
export interface IcmpMessage {
  text: string;
  /** The packet an error message quotes, when its addresses and ports could be read. */
  quoted?: { protocol: number; src: string; dst: string; sport: number; dport: number };
}

const V4: Record<number, string> = {
  0: 'echo reply',
  3: 'destination unreachable',
  5: 'redirect',
  8: 'echo request',
  11: 'time exceeded',
  12: 'parameter problem',
};
const V4_UNREACHABLE: Record<number, string> = {
  0: 'network unreachable',
  1: 'host unreachable',
  2: 'protocol unreachable',
  3: 'port unreachable',
  4: 'fragmentation needed',
  13: 'administratively prohibited',
};
const V6: Record<number, string> = {
  1: 'destination unreachable',
  2: 'packet too big',
  3: 'time exceeded',
  4: 'parameter problem',
  128: 'echo request',
  129: 'echo reply',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbor solicitation',
  136: 'neighbor advertisement',
};
const V6_UNREACHABLE: Record<number, string> = {
  0: 'no route',
  1: 'administratively prohibited',
  3: 'address unreachable',
  4: 'port unreachable',
};

/** Reads the ICMP (version 4) or ICMPv6 (version 6) message at `offset`, `length` bytes long. */
export function parseIcmp(
  frame: Uint8Array,
  offset: number,
  length: number,
  version: 4 | 6,
): IcmpMessage | { bad: string } {
  if (frame.length < offset + 4 || length < 4) return { bad: 'truncated ICMP header' };
  const type = frame[offset]!;
  const code = frame[offset + 1]!;
  const unreachable = version === 4 ? type === 3 : type === 1;
  const detail = unreachable ? (version === 4 ? V4_UNREACHABLE : V6_UNREACHABLE)[code] : undefined;
  const text = detail ?? (version === 4 ? V4 : V6)[type] ?? `type ${type} code ${code}`;
  const isError = version === 4 ? [3, 4, 5, 11, 12].includes(type) : type < 128;
  const quoted = isError ? quotedFlow(frame, offset + 8, offset + length, version) : undefined;
  return quoted ? { text, quoted } : { text };
}

/** Addresses and ports of the packet quoted in an ICMP error. */
function quotedFlow(
  frame: Uint8Array,
  start: number,
  end: number,
  version: 4 | 6,
): IcmpMessage['quoted'] {
  const limited = frame.subarray(0, Math.min(frame.length, end));
  const ip: IpPacket | { bad: string } =
    version === 4 ? parseIpv4(limited, start, end) : parseIpv6(limited, start, end);
  if (!('src' in ip) || ip.laterFragment) return undefined;
  const at = ip.payloadOffset;
  if (limited.length < at + 4) return undefined;
  return {
    protocol: ip.protocol,
    src: ip.src,
    dst: ip.dst,
    sport: u16(limited, at),
    dport: u16(limited, at + 2),
  };
}
