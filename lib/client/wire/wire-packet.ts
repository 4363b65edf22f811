/**
 * The packet the wire views draw: a decoded `Packet` plus what the run knows around it (which
 * process owns each port) and what a fault relay did to it.
 */
import type { Packet } from '../../packets/packet.ts';
import type { PacketEvent } from '../../protocol.ts';

/** A captured packet as the sequence diagram, the state timeline and the table see it. */
export interface WirePacket extends Packet {
  /** The process that owns the source and destination ports (`client.py`, `peer:echo`). */
  srcOwner?: string;
  dstOwner?: string;
  /**
   * The packet never arrived: a fault relay (issue #4) dropped it. Extension point: the protocol
   * does not carry this yet; once `PacketEvent` gains `dropped: true` (or a relay event is
   * applied with `PacketLog.markDropped`), the diagram draws the arrow as lost with no change.
   */
  dropped?: true;
}

/** The packet of a `packet` event, without the event's envelope. */
export function fromPacketEvent(event: PacketEvent): WirePacket {
  const { type: _type, runId: _runId, ...packet } = event;
  return packet;
}
