/**
 * The conversations of a capture as the views list them (to filter by, to caption a state
 * timeline): one per TCP connection or UDP flow, numbered as lib/packets numbers them.
 */
import { destinationOf, endpointKey, sourceOf } from './endpoints.ts';
import type { Endpoint } from './endpoints.ts';
import type { WirePacket } from './wire-packet.ts';

/** One connection or flow. */
export interface ConnectionSummary {
  conn: number;
  proto: 'tcp' | 'udp';
  /** The endpoint that sent first (the client, when the SYN was captured), then the other. */
  a: Endpoint;
  b: Endpoint;
  packets: number;
  /** Payload bytes both ways. */
  bytes: number;
}

/** Every connection and flow in order of its first packet; owners filled in from any packet. */
export function summarizeConnections(packets: readonly WirePacket[]): ConnectionSummary[] {
  const byConn = new Map<number, ConnectionSummary>();
  for (const packet of packets) {
    if (packet.conn === undefined) continue;
    let summary = byConn.get(packet.conn);
    if (summary === undefined) {
      if (packet.proto !== 'tcp' && packet.proto !== 'udp') continue;
      const a = sourceOf(packet);
      const b = destinationOf(packet);
      summary = { conn: packet.conn, proto: packet.proto, a, b, packets: 0, bytes: 0 };
      byConn.set(packet.conn, summary);
    }
    summary.packets += 1;
    if (packet.proto !== 'icmp') summary.bytes += packet.len;
    if (summary.a.owner === undefined || summary.b.owner === undefined)
      learnOwners(summary, packet);
  }
  return [...byConn.values()];
}

/** Fills in an owner the first packets did not name (the server may learn it a little late). */
function learnOwners(summary: ConnectionSummary, packet: WirePacket): void {
  const ends: [string, string | undefined][] = [
    [endpointKey(packet.src, packet.sport), packet.srcOwner],
    [endpointKey(packet.dst, packet.dport), packet.dstOwner],
  ];
  for (const [key, owner] of ends) {
    if (owner === undefined) continue;
    if (key === summary.a.key) summary.a.owner ??= owner;
    if (key === summary.b.key) summary.b.owner ??= owner;
  }
}

/** The packets with owners filled in from `owners`, keyed by port or `addr:port` (recordings). */
export function applyOwners(
  packets: readonly WirePacket[],
  owners: Readonly<Record<string, string>>,
): WirePacket[] {
  const find = (addr: string, port: number | undefined): string | undefined =>
    port === undefined ? undefined : (owners[`${addr}:${port}`] ?? owners[String(port)]);
  return packets.map((packet) => {
    const srcOwner = packet.srcOwner ?? find(packet.src, packet.sport);
    const dstOwner = packet.dstOwner ?? find(packet.dst, packet.dport);
    const result = { ...packet };
    if (srcOwner !== undefined) result.srcOwner = srcOwner;
    if (dstOwner !== undefined) result.dstOwner = dstOwner;
    return result;
  });
}
