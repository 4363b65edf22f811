/**
 * One frame from link layer to transport, without memory of other frames. Never throws: each
 * layer that cannot be read ends the walk with `bad` saying why, keeping what was read so far.
 */
import { parseIcmp, type IcmpMessage } from './icmp.ts';
import { IP_PROTOCOL, type IpPacket } from './ip.ts';
import { parseIpv4 } from './ipv4.ts';
import { parseIpv6 } from './ipv6.ts';
import { linkPayload } from './link.ts';
import type { Transport } from './packet.ts';
import { parseTcp, type TcpHeader } from './tcp.ts';
import { parseUdp } from './udp.ts';

/** What one frame holds. */
export interface DecodedFrame {
  proto: Transport;
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  /** Payload bytes the headers announce. */
  len: number;
  /** The captured part of the payload (TCP and UDP). */
  payload?: Uint8Array;
  tcp?: TcpHeader;
  icmp?: IcmpMessage;
  bad?: string;
}

/** Decodes a frame of `linkType`; `origLen` is its length on the wire. */
export function decodeFrame(linkType: number, data: Uint8Array, origLen: number): DecodedFrame {
  const link = linkPayload(linkType, data);
  const unknown: DecodedFrame = { proto: 'other', src: '', dst: '', len: origLen };
  if (link.bad !== undefined) return { ...unknown, bad: link.bad };
  if (link.network === 'other') return unknown;
  const wireEnd = Math.max(origLen, data.length);
  const ip =
    link.network === 'ipv4'
      ? parseIpv4(data, link.offset, wireEnd)
      : parseIpv6(data, link.offset, wireEnd);
  if (!('src' in ip)) return { ...unknown, bad: ip.bad };
  return withTransport(data, ip);
}

function withTransport(data: Uint8Array, ip: IpPacket): DecodedFrame {
  const { src, dst, payloadOffset: offset, payloadLength: length } = ip;
  const base: DecodedFrame = { proto: 'other', src, dst, len: length };
  if (ip.bad !== undefined) base.bad = ip.bad;
  if (ip.broken) return base;
  const proto = transportOf(ip.protocol, ip.version);
  if (proto === 'other') return base;
  base.proto = proto;
  if (ip.laterFragment) return { ...base, bad: base.bad ?? 'IP fragment (no transport header)' };
  if (proto === 'icmp') {
    const icmp = parseIcmp(data, offset, length, ip.version);
    return 'text' in icmp ? { ...base, icmp } : { ...base, bad: icmp.bad };
  }
  const header = proto === 'tcp' ? parseTcp(data, offset, length) : parseUdp(data, offset, length);
  if (!('payloadOffset' in header)) {
    const { bad, ...ports } = header;
    return { ...base, ...ports, len: 0, bad };
  }
  const frame: DecodedFrame = {
    ...base,
    sport: header.sport,
    dport: header.dport,
    len: header.payloadLength,
    payload: data.subarray(header.payloadOffset, header.payloadOffset + header.payloadLength),
  };
  if (proto === 'tcp') frame.tcp = header as TcpHeader;
  const headerBad = 'bad' in header ? header.bad : undefined;
  if (headerBad !== undefined) frame.bad ??= headerBad;
  return frame;
}

function transportOf(protocol: number, version: 4 | 6): Transport {
  if (protocol === IP_PROTOCOL.TCP) return 'tcp';
  if (protocol === IP_PROTOCOL.UDP) return 'udp';
  if (protocol === (version === 4 ? IP_PROTOCOL.ICMP : IP_PROTOCOL.ICMPV6)) return 'icmp';
  return 'other';
}
