/** How the wire views word TCP flags: on arrows as Wireshark does, in phase labels as textbooks do. */
import type { TcpFlag } from '../../packets/packet.ts';
import type { WirePacket } from './wire-packet.ts';

/** The flags of a segment as Wireshark lists them: `SYN, ACK`, `PSH, ACK`, `FIN, ACK`. */
export function flagText(flags: readonly TcpFlag[] | undefined): string {
  return flags && flags.length > 0 ? flags.join(', ') : '';
}

/**
 * The name of a segment in a phase label, as a textbook draws the handshake and the teardown:
 * `SYN`, `SYN-ACK`, `ACK`, `FIN` (a FIN almost always carries an ACK; saying so adds nothing),
 * `RST`.
 */
export function stepName(flags: readonly TcpFlag[] | undefined): string {
  const has = (flag: TcpFlag) => flags?.includes(flag) ?? false;
  if (has('RST')) return 'RST';
  if (has('SYN')) return has('ACK') ? 'SYN-ACK' : 'SYN';
  if (has('FIN')) return 'FIN';
  if (has('ACK')) return 'ACK';
  return flagText(flags) || '∅';
}

/** True for a TCP segment that only acknowledges: no payload, no SYN, FIN or RST. */
export function isPureAck(packet: WirePacket): boolean {
  const flags = packet.flags;
  if (packet.proto !== 'tcp' || !flags || packet.len > 0) return false;
  return flags.includes('ACK') && !flags.some((f) => f === 'SYN' || f === 'FIN' || f === 'RST');
}

/** True for a packet that carries payload: a TCP data segment or a UDP datagram. */
export function carriesData(packet: WirePacket): boolean {
  return (packet.proto === 'tcp' || packet.proto === 'udp') && packet.len > 0;
}
