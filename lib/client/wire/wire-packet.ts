/**
 * The packet the wire views draw: a decoded `Packet` plus what the run knows around it (which
 * process owns each port) and what a fault relay did to it.
 */
import type { Packet } from '../../packets/packet.ts';
import type { PacketEvent } from '../../protocol.ts';
import type { FaultMark } from './fault-marks.ts';

/** A captured packet as the sequence diagram, the state timeline and the table see it. */
export interface WirePacket extends Packet {
  /** The process that owns the source and destination ports (`client.py`, `peer:echo`). */
  srcOwner?: string;
  dstOwner?: string;
  /** The packet never arrived: a fault relay dropped it (the diagram draws a lost arrow). */
  dropped?: true;
  /** What fault peers did to it, from the run's `fault` events (fault-marks.ts). */
  faults?: FaultMark[];
}

/** The packet of a `packet` event, without the event's envelope. */
export function fromPacketEvent(event: PacketEvent): WirePacket {
  const { type: _type, runId: _runId, ...packet } = event;
  return packet;
}
