/**
 * Which captured packet a `fault` event concerns. A fault peer names the packet by its ends and
 * its number in that direction (lib/protocol.ts FaultFields): for UDP the `index`-th datagram
 * from `from` to `to`; for TCP the `index`-th segment carrying data from `from` to `to` (one
 * segment per write: the proxy writes each piece alone) or, for a reset, the RST between them.
 * Packets and faults arrive in either order, so both sides compute the same key.
 */
import type { FaultAction, FaultEvent, FaultNote } from '../../protocol.ts';
import type { WirePacket } from './wire-packet.ts';

/** A fault as a packet carries it. */
export interface FaultMark {
  action: FaultAction;
  /** Payload bytes of the packet it concerns, as the peer counted them. */
  bytes: number;
  delayMs?: number;
  /** What the peer says it did, for the header card. */
  note: FaultNote;
  /** The fault peer that did it (`peer:relay`). */
  process: string;
}

/** The mark of a `fault` event. */
export function markOf(event: FaultEvent): FaultMark {
  return {
    action: event.action,
    bytes: event.bytes,
    ...(event.delayMs === undefined ? {} : { delayMs: event.delayMs }),
    note: event.note,
    process: event.process,
  };
}

/** The key a fault names its packet by. */
export function faultKey(
  fault: Pick<FaultEvent, 'proto' | 'action' | 'from' | 'to' | 'index'>,
): string {
  const ends = `${fault.from}>${fault.to}`;
  if (fault.action === 'reset') return `rst ${ends}`;
  return `${fault.proto} ${ends}#${fault.index}`;
}

/** Numbers packets per direction of each flow, as the fault peers count them. */
export class PacketCounter {
  private readonly counts = new Map<string, number>();

  /** The keys a fault could name `packet` by (none for packets no fault peer counts). */
  keysOf(packet: WirePacket): string[] {
    if (packet.sport === undefined || packet.dport === undefined) return [];
    const ends = `${packet.src}:${packet.sport}>${packet.dst}:${packet.dport}`;
    const keys: string[] = [];
    if (packet.flags?.includes('RST')) keys.push(`rst ${ends}`);
    const counted =
      packet.proto === 'udp' || (packet.proto === 'tcp' && packet.len > 0 && !packet.retrans);
    if (counted) {
      const flow = `${packet.proto} ${ends}`;
      const index = (this.counts.get(flow) ?? 0) + 1;
      this.counts.set(flow, index);
      keys.push(`${flow}#${index}`);
    }
    return keys;
  }
}

/**
 * A packet with one more fault mark (a drop also makes it `dropped`, drawn as a lost arrow).
 * A packet whose payload is not what the peer counted is left alone: TCP may have cut the
 * stream differently (a retransmission, segments merged), and a wrong mark is worse than none.
 */
export function withMark(packet: WirePacket, mark: FaultMark): WirePacket {
  if (mark.action !== 'reset' && packet.len !== mark.bytes) return packet;
  return {
    ...packet,
    faults: [...(packet.faults ?? []), mark],
    ...(mark.action === 'dropped' ? { dropped: true as const } : {}),
  };
}
