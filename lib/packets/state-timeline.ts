/**
 * Each TCP endpoint's socket states over time, gathered from the state changes that packets
 * carry: what a socket-state timeline draws, one row per endpoint of each connection.
 */
import type { Packet, TcpState } from './packet.ts';

/** One endpoint of one connection and the states it went through. */
export interface EndpointStates {
  conn: number;
  /** `address:port` (IPv6 addresses in brackets). */
  endpoint: string;
  changes: Array<{ n: number; t: number; state: TcpState }>;
}

/** The state timelines of every TCP endpoint in `packets`, in order of first change. */
export function stateTimelines(packets: readonly Packet[]): EndpointStates[] {
  const rows = new Map<string, EndpointStates>();
  const note = (packet: Packet, addr: string, port: number | undefined, state?: TcpState): void => {
    if (state === undefined || packet.conn === undefined || port === undefined) return;
    const endpoint = addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
    const key = `${packet.conn} ${endpoint}`;
    let row = rows.get(key);
    if (row === undefined) {
      row = { conn: packet.conn, endpoint, changes: [] };
      rows.set(key, row);
    }
    row.changes.push({ n: packet.n, t: packet.t, state });
  };
  for (const packet of packets) {
    note(packet, packet.src, packet.sport, packet.srcState);
    note(packet, packet.dst, packet.dport, packet.dstState);
  }
  return [...rows.values()];
}
