/**
 * The TCP state machine (RFC 9293 §3.3.2) driven by the packets of a capture instead of by
 * system calls: each packet moves its sender and its receiver. On loopback a packet is seen once
 * and received at once, so both moves happen at the packet. LISTEN never shows on the wire, and
 * TIME_WAIT's expiry sends nothing, so a capture ends a clean active close in TIME_WAIT.
 * One move is known only afterwards: a FIN that does not acknowledge the peer's FIN was sent
 * before that FIN arrived (a simultaneous close), so its sender goes to CLOSING, not LAST_ACK.
 */
import type { TcpFlag, TcpState } from './packet.ts';

/** What the state machine needs of one segment. */
export interface SegmentFacts {
  flags: readonly TcpFlag[];
  /** The acknowledgement relative to the receiver's initial sequence number. */
  ackRel: number;
}

/**
 * The sender's state after it sent the segment. `peerFinRel` is the relative sequence number of
 * the receiver's FIN, if it sent one.
 */
export function afterSending(
  state: TcpState | undefined,
  segment: SegmentFacts,
  peerFinRel: number | undefined,
): TcpState | undefined {
  const has = (flag: TcpFlag): boolean => segment.flags.includes(flag);
  if (has('RST')) return state === undefined ? undefined : 'CLOSED';
  if (has('SYN')) {
    if (!has('ACK')) return state === undefined || state === 'CLOSED' ? 'SYN_SENT' : state;
    return state === undefined || state === 'SYN_SENT' ? 'SYN_RECEIVED' : state;
  }
  if (has('FIN')) {
    if (state === 'CLOSE_WAIT') return acks(segment, peerFinRel) ? 'LAST_ACK' : 'CLOSING';
    if (state === undefined || state === 'ESTABLISHED' || state === 'SYN_RECEIVED')
      return 'FIN_WAIT_1';
  }
  return state;
}

/**
 * The receiver's state after it got the segment. `finRel` is the relative sequence number of
 * the receiver's own FIN, if it sent one: an acknowledgement past it means the FIN arrived.
 */
export function afterReceiving(
  state: TcpState | undefined,
  segment: SegmentFacts,
  finRel: number | undefined,
): TcpState | undefined {
  const has = (flag: TcpFlag): boolean => segment.flags.includes(flag);
  if (has('RST')) return state === undefined ? undefined : 'CLOSED';
  let next = state;
  if (has('SYN')) {
    // A SYN-ACK completes the client's side; a bare SYN to a SYN_SENT socket is a simultaneous open.
    if (next === 'SYN_SENT') next = has('ACK') ? 'ESTABLISHED' : 'SYN_RECEIVED';
    return next;
  }
  if (has('ACK')) {
    if (next === 'SYN_RECEIVED' && segment.ackRel >= 1) next = 'ESTABLISHED';
    if (acks(segment, finRel)) next = ackedFin(next);
  }
  if (has('FIN')) next = finReceived(next);
  return next;
}

/** True when the segment acknowledges the FIN at `finRel`. */
function acks(segment: SegmentFacts, finRel: number | undefined): boolean {
  return finRel !== undefined && segment.flags.includes('ACK') && segment.ackRel >= finRel + 1;
}

function ackedFin(state: TcpState | undefined): TcpState | undefined {
  if (state === 'FIN_WAIT_1') return 'FIN_WAIT_2';
  if (state === 'CLOSING') return 'TIME_WAIT';
  if (state === 'LAST_ACK') return 'CLOSED';
  return state;
}

function finReceived(state: TcpState | undefined): TcpState | undefined {
  if (state === undefined || state === 'ESTABLISHED' || state === 'SYN_RECEIVED')
    return 'CLOSE_WAIT';
  if (state === 'FIN_WAIT_1') return 'CLOSING';
  if (state === 'FIN_WAIT_2') return 'TIME_WAIT';
  return state;
}
