/**
 * One TCP connection seen in a capture: per side its initial sequence number (for relative
 * numbers, as Wireshark shows them), the highest sequence number sent (for retransmissions),
 * its FIN, its window scale and its state; and per packet the phase of the connection's life.
 */
import type { Packet, TcpFlag, TcpState } from './packet.ts';
import type { TcpHeader } from './tcp.ts';
import { afterReceiving, afterSending } from './tcp-states.ts';

/** One endpoint's view of the connection. */
interface Side {
  /** Initial sequence number; without a SYN seen, the first sequence number minus one. */
  isn?: number;
  /** Relative sequence number after the last byte (SYN and FIN count one) sent so far. */
  sentEnd: number;
  finRel?: number;
  /** Window scale announced on this side's SYN. */
  wscale?: number;
  synSeen: boolean;
  state?: TcpState;
}

/** The fields a connection adds to a TCP packet. */
export type TcpAnnotations = Pick<
  Packet,
  | 'seq'
  | 'ack'
  | 'win'
  | 'optLen'
  | 'mss'
  | 'wscale'
  | 'phase'
  | 'retrans'
  | 'srcState'
  | 'dstState'
>;

/** A TCP connection, between endpoint keys `a` (its first sender) and the other. */
export class TcpConnection {
  readonly id: number;
  private readonly sides = new Map<string, Side>();

  constructor(id: number) {
    this.id = id;
  }

  /** True when `header` from `from` opens a new connection on this 4-tuple (ports reused). */
  isNewSyn(from: string, header: TcpHeader): boolean {
    if (!header.flags.includes('SYN') || header.flags.includes('ACK')) return false;
    const side = this.sides.get(from);
    if (side === undefined) return this.sides.size > 0;
    return !(side.synSeen && side.isn === header.seq);
  }

  /** Annotates one segment from `from` to `to` and moves both sides' states. */
  observe(from: string, to: string, header: TcpHeader): TcpAnnotations {
    const sender = this.side(from);
    const receiver = this.side(to);
    const has = (flag: TcpFlag): boolean => header.flags.includes(flag);
    if (has('SYN')) {
      sender.isn = header.seq;
      sender.synSeen = true;
      if (header.wscale !== undefined) sender.wscale = header.wscale;
    }
    sender.isn ??= (header.seq - 1) >>> 0;
    const seq = (header.seq - sender.isn) >>> 0;
    const result: TcpAnnotations = {
      seq,
      win: this.window(sender, receiver, header),
      optLen: header.optLen,
    };
    let ackRel = 0;
    if (has('ACK')) {
      receiver.isn ??= (header.ack - 1) >>> 0;
      ackRel = (header.ack - receiver.isn) >>> 0;
      result.ack = ackRel;
    }
    if (header.mss !== undefined) result.mss = header.mss;
    if (header.wscale !== undefined) result.wscale = header.wscale;
    const length = header.payloadLength + (has('SYN') ? 1 : 0) + (has('FIN') ? 1 : 0);
    if (length > 0 && seq < sender.sentEnd) result.retrans = true;
    sender.sentEnd = Math.max(sender.sentEnd, seq + length);
    result.phase = phaseOf(header, receiver, ackRel);
    if (has('FIN')) sender.finRel ??= seq + header.payloadLength + (has('SYN') ? 1 : 0);
    this.move(sender, receiver, header, ackRel, result);
    return result;
  }

  private move(
    sender: Side,
    receiver: Side,
    header: TcpHeader,
    ackRel: number,
    result: TcpAnnotations,
  ): void {
    const facts = { flags: header.flags, ackRel };
    const senderState = afterSending(sender.state, facts, receiver.finRel);
    const receiverState = afterReceiving(receiver.state, facts, receiver.finRel);
    if (senderState !== sender.state && senderState !== undefined) result.srcState = senderState;
    if (receiverState !== receiver.state && receiverState !== undefined)
      result.dstState = receiverState;
    sender.state = senderState;
    receiver.state = receiverState;
  }

  /** The window in bytes: scaled only when both SYNs announced scaling (RFC 7323), never on a SYN. */
  private window(sender: Side, receiver: Side, header: TcpHeader): number {
    if (header.flags.includes('SYN')) return header.window;
    if (sender.wscale === undefined || receiver.wscale === undefined) return header.window;
    return header.window * 2 ** sender.wscale;
  }

  private side(key: string): Side {
    let side = this.sides.get(key);
    if (side === undefined) {
      side = { sentEnd: 0, synSeen: false };
      this.sides.set(key, side);
    }
    return side;
  }
}

/** The part of the connection's life a segment belongs to. */
function phaseOf(header: TcpHeader, receiver: Side, ackRel: number): TcpAnnotations['phase'] {
  const flags = header.flags;
  if (flags.includes('RST')) return 'reset';
  if (flags.includes('SYN')) return 'handshake';
  if (flags.includes('FIN')) return 'teardown';
  if (header.payloadLength > 0) return 'data';
  if (receiver.state === 'SYN_RECEIVED' && ackRel >= 1) return 'handshake';
  if (receiver.finRel !== undefined && ackRel >= receiver.finRel + 1) return 'teardown';
  return 'data';
}
