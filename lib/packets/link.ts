/**
 * Link-layer headers: where the IP packet starts in a frame, for the link types a Linux capture
 * produces (tcpdump -i lo gives Ethernet; -i any gives Linux cooked v1/v2) and those other tools
 * write (BSD loopback, raw IP).
 */
import { u16 } from './bytes.ts';

/** Link types by their pcap number (https://www.tcpdump.org/linktypes.html). */
export const LINKTYPE = {
  NULL: 0,
  EN10MB: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** The network-layer packet inside a frame. */
export interface LinkPayload {
  network: 'ipv4' | 'ipv6' | 'other';
  offset: number;
  /** Why no network layer was found, when the link header itself is short or unknown. */
  bad?: string;
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = [0x8100, 0x88a8, 0x9100];
/** AF_INET6 differs between systems (Linux 10, BSDs 24, 28 or 30); AF_INET is 2 everywhere. */
const AF_INET6 = new Set([10, 24, 28, 30]);

/** Finds the IP packet in a frame of `linkType`. */
export function linkPayload(linkType: number, frame: Uint8Array): LinkPayload {
  switch (linkType) {
    case LINKTYPE.EN10MB:
      return ethernet(frame);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP:
      return loopback(frame, linkType === LINKTYPE.LOOP);
    case LINKTYPE.RAW:
      return { network: ipVersion(frame, 0), offset: 0 };
    case LINKTYPE.IPV4:
      return { network: 'ipv4', offset: 0 };
    case LINKTYPE.IPV6:
      return { network: 'ipv6', offset: 0 };
    case LINKTYPE.LINUX_SLL:
      return byEtherType(frame, 14, 16, 'Linux cooked');
    case LINKTYPE.LINUX_SLL2:
      return byEtherType(frame, 0, 20, 'Linux cooked v2');
    default:
      return { network: 'other', offset: 0, bad: `link type ${linkType} is not supported` };
  }
}

function ethernet(frame: Uint8Array): LinkPayload {
  let typeAt = 12;
  // 802.1Q/802.1ad tags push the EtherType back 4 bytes each.
  while (frame.length >= typeAt + 2 && ETHERTYPE_VLAN.includes(u16(frame, typeAt))) typeAt += 4;
  return byEtherType(frame, typeAt, typeAt + 2, 'Ethernet');
}

function byEtherType(
  frame: Uint8Array,
  typeAt: number,
  headerEnd: number,
  name: string,
): LinkPayload {
  if (frame.length < headerEnd)
    return { network: 'other', offset: 0, bad: `truncated ${name} header` };
  const type = u16(frame, typeAt);
  const network = type === ETHERTYPE_IPV4 ? 'ipv4' : type === ETHERTYPE_IPV6 ? 'ipv6' : 'other';
  return { network, offset: headerEnd };
}

/** BSD loopback: a 4-byte address family, in the writer's byte order (NULL) or big-endian (LOOP). */
function loopback(frame: Uint8Array, bigEndian: boolean): LinkPayload {
  if (frame.length < 4) return { network: 'other', offset: 0, bad: 'truncated loopback header' };
  const view = new DataView(frame.buffer, frame.byteOffset, 4);
  let family = view.getUint32(0, !bigEndian);
  // NULL is in the capturing host's order, which the file does not record: a family is small.
  if (!bigEndian && family > 0xffff) family = view.getUint32(0, false);
  const network = family === 2 ? 'ipv4' : AF_INET6.has(family) ? 'ipv6' : 'other';
  return { network, offset: 4 };
}

function ipVersion(frame: Uint8Array, offset: number): LinkPayload['network'] {
  const version = (frame[offset] ?? 0) >> 4;
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : 'other';
}
