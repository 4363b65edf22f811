/** What an arrow is, for its colour and its words: one kind per packet, the most telling first. */
import { carriesData, isPureAck } from './flags.ts';
import type { WirePacket } from './wire-packet.ts';

/** The kinds of arrow the diagram draws differently. */
export type ArrowKind =
  | 'dropped'
  | 'reset'
  | 'fault'
  | 'retrans'
  | 'handshake'
  | 'teardown'
  | 'data'
  | 'ack'
  | 'udp'
  | 'icmp'
  | 'other';

/**
 * The kind of arrow for a packet: loss, resets, what a fault peer did, and retransmissions win
 * over the phase.
 */
export function arrowKind(packet: WirePacket): ArrowKind {
  if (packet.dropped) return 'dropped';
  if (packet.flags?.includes('RST')) return 'reset';
  if (packet.faults?.length) return 'fault';
  if (packet.proto === 'udp') return 'udp';
  if (packet.proto === 'icmp') return 'icmp';
  if (packet.proto !== 'tcp') return 'other';
  if (packet.retrans) return 'retrans';
  if (packet.phase === 'handshake') return 'handshake';
  if (packet.phase === 'teardown') return 'teardown';
  if (carriesData(packet)) return 'data';
  return isPureAck(packet) ? 'ack' : 'other';
}
