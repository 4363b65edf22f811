/**
 * Each TCP connection's socket states over time, for both ends, as the packets reveal them:
 * lib/packets' state machine marks a packet with the sender's and receiver's new state when they
 * change (`srcState`, `dstState`); this only lines those marks up per connection. Two states the
 * wire cannot show are inferred for the picture, as RFC 9293's figures draw them: the opener
 * starts CLOSED, and the end that answered a SYN with a SYN-ACK was in LISTEN.
 */
import type { TcpState } from '../../packets/packet.ts';
import { destinationOf, sourceOf } from './endpoints.ts';
import type { Endpoint } from './endpoints.ts';
import { flagText } from './flags.ts';
import type { WirePacket } from './wire-packet.ts';

/** A socket state as the timeline shows it. */
export type TimelineState = TcpState | 'LISTEN';

/** A packet that changed the state of at least one end. */
export interface TimelineStep {
  n: number;
  t: number;
  flags: string;
  /** Which end sent it. */
  sender: 'a' | 'b';
  /** The state each end entered with this packet; null when it stayed. */
  a: TcpState | null;
  b: TcpState | null;
}

/** One connection's state timeline. */
export interface ConnectionTimeline {
  conn: number;
  /** The end that sent first (the client, when the SYN was captured), then the other. */
  a: Endpoint;
  b: Endpoint;
  /** Each end's state before the first step, when the capture shows it. */
  initial: { a: TimelineState | null; b: TimelineState | null };
  steps: TimelineStep[];
}

/** The state timeline of every TCP connection in the packets, in order of first packet. */
export function connectionTimelines(packets: readonly WirePacket[]): ConnectionTimeline[] {
  const byConn = new Map<number, ConnectionTimeline>();
  for (const packet of packets) {
    if (packet.proto !== 'tcp' || packet.conn === undefined) continue;
    let timeline = byConn.get(packet.conn);
    if (timeline === undefined) {
      timeline = start(packet);
      byConn.set(packet.conn, timeline);
    }
    record(timeline, packet);
  }
  return [...byConn.values()].map(withInitialStates);
}

/** The state of one end just after step `index` (or before any step, for -1). */
export function stateAfter(
  timeline: ConnectionTimeline,
  end: 'a' | 'b',
  index: number,
): TimelineState | null {
  for (let i = Math.min(index, timeline.steps.length - 1); i >= 0; i--) {
    const state = timeline.steps[i]![end];
    if (state !== null) return state;
  }
  return timeline.initial[end];
}

function start(packet: WirePacket): ConnectionTimeline {
  return {
    conn: packet.conn!,
    a: sourceOf(packet),
    b: destinationOf(packet),
    initial: { a: null, b: null },
    steps: [],
  };
}

function record(timeline: ConnectionTimeline, packet: WirePacket): void {
  const from = sourceOf(packet);
  if (from.owner !== undefined) {
    if (from.key === timeline.a.key) timeline.a.owner ??= from.owner;
    else timeline.b.owner ??= from.owner;
  }
  if (packet.srcState === undefined && packet.dstState === undefined) return;
  const sender = from.key === timeline.a.key ? 'a' : 'b';
  const src = packet.srcState ?? null;
  const dst = packet.dstState ?? null;
  timeline.steps.push({
    n: packet.n,
    t: packet.t,
    flags: flagText(packet.flags),
    sender,
    a: sender === 'a' ? src : dst,
    b: sender === 'a' ? dst : src,
  });
}

function withInitialStates(timeline: ConnectionTimeline): ConnectionTimeline {
  const firstOf = (end: 'a' | 'b') => timeline.steps.find((step) => step[end] !== null)?.[end];
  const opened = firstOf('a') === 'SYN_SENT';
  const b = firstOf('b');
  const initial = {
    a: opened ? ('CLOSED' as const) : null,
    // The end that answered the SYN was listening; one that never took part had no socket.
    b: b === 'SYN_RECEIVED' ? ('LISTEN' as const) : opened && b === undefined ? 'CLOSED' : null,
  } satisfies ConnectionTimeline['initial'];
  return { ...timeline, initial };
}
