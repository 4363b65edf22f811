/**
 * The connection timeline's model: one lane per TCP connection (lib/packets numbers them by
 * 4-tuple, starting anew when ports are reused), with when its handshake completed, when payload
 * bytes moved each way, and when each side sent FIN or RST; and how the lanes overlap in time, so
 * a server that serves one connection after another reads differently from one that interleaves.
 * Pure functions of the packets; the view (app/_components/wire/connection-timeline.tsx) only draws.
 */
import { destinationOf, sourceOf } from './endpoints.ts';
import type { Endpoint } from './endpoints.ts';
import type { WirePacket } from './wire-packet.ts';

/** Which way bytes went: from the opener (`a`, the client) to the other end, or back. */
export type Direction = 'ab' | 'ba';

/** One segment with payload. */
export interface DataMark {
  t: number;
  dir: Direction;
  bytes: number;
}

/** One TCP connection on the timeline. */
export interface ConnectionLane {
  conn: number;
  /** The end that sent first (the client, when the SYN was captured), then the other. */
  a: Endpoint;
  b: Endpoint;
  /** Its first and last packet. */
  first: number;
  last: number;
  /** When the handshake completed (the other end entered ESTABLISHED): the kernel accepted it. */
  accepted: number | null;
  /** The first and last payload byte, either way. */
  firstByte: number | null;
  lastByte: number | null;
  /**
   * When it was served: from the first payload byte the accepting end (`b`) sent to its last, or
   * to its FIN or RST after that; null while it has sent no payload.
   */
  served: { from: number; to: number } | null;
  bytes: Record<Direction, number>;
  data: DataMark[];
  /** When each end first sent FIN. */
  fin: { a: number | null; b: number | null };
  /** The first RST, and which end sent it. */
  reset: { t: number; by: 'a' | 'b' } | null;
  /** When it ended: its first RST, or the packet after which both ends had sent FIN; else null. */
  closed: number | null;
}

/** The lanes of every TCP connection in the packets, in order of first packet. */
export function connectionLanes(packets: readonly WirePacket[]): ConnectionLane[] {
  const byConn = new Map<number, ConnectionLane>();
  for (const packet of packets) {
    if (packet.proto !== 'tcp' || packet.conn === undefined) continue;
    let lane = byConn.get(packet.conn);
    if (lane === undefined) {
      lane = startLane(packet);
      byConn.set(packet.conn, lane);
    }
    addPacket(lane, packet);
  }
  return [...byConn.values()];
}

function startLane(packet: WirePacket): ConnectionLane {
  return {
    conn: packet.conn!,
    a: sourceOf(packet),
    b: destinationOf(packet),
    first: packet.t,
    last: packet.t,
    accepted: null,
    firstByte: null,
    lastByte: null,
    served: null,
    bytes: { ab: 0, ba: 0 },
    data: [],
    fin: { a: null, b: null },
    reset: null,
    closed: null,
  };
}

function addPacket(lane: ConnectionLane, packet: WirePacket): void {
  const from = sourceOf(packet);
  const sender = from.key === lane.a.key ? 'a' : 'b';
  learnOwners(lane, sender, packet);
  const t = packet.t;
  lane.last = t;
  const bEntered = sender === 'b' ? packet.srcState : packet.dstState;
  if (lane.accepted === null && bEntered === 'ESTABLISHED') lane.accepted = t;
  // A dropped packet never arrived, and a retransmission carries bytes already counted.
  if (packet.len > 0 && !packet.dropped && !packet.retrans) addData(lane, sender, t, packet.len);
  const flags = packet.flags ?? [];
  if (flags.includes('FIN')) lane.fin[sender] ??= t;
  // Serving ends when the server closes: a server that handles one connection at a time closes
  // it before it answers the next, even when each gets a single reply.
  if (sender === 'b' && lane.served !== null && (flags.includes('FIN') || flags.includes('RST')))
    lane.served.to = Math.max(lane.served.to, t);
  if (flags.includes('RST') && lane.reset === null) lane.reset = { t, by: sender };
  if (lane.closed === null) {
    if (lane.reset !== null) lane.closed = lane.reset.t;
    else if (lane.fin.a !== null && lane.fin.b !== null) lane.closed = t;
  }
}

function addData(lane: ConnectionLane, sender: 'a' | 'b', t: number, bytes: number): void {
  const dir: Direction = sender === 'a' ? 'ab' : 'ba';
  lane.data.push({ t, dir, bytes });
  lane.bytes[dir] += bytes;
  lane.firstByte ??= t;
  lane.lastByte = t;
  if (sender === 'b') {
    if (lane.served === null) lane.served = { from: t, to: t };
    else lane.served.to = Math.max(lane.served.to, t);
  }
}

function learnOwners(lane: ConnectionLane, sender: 'a' | 'b', packet: WirePacket): void {
  const [own, other] = sender === 'a' ? [lane.a, lane.b] : [lane.b, lane.a];
  if (packet.srcOwner !== undefined) own.owner ??= packet.srcOwner;
  if (packet.dstOwner !== undefined) other.owner ??= packet.dstOwner;
}

/** Data segments one way merged while each follows the last within `gapMs`: one bar each. */
export interface DataRun {
  dir: Direction;
  from: number;
  to: number;
  bytes: number;
  segments: number;
}

/**
 * A lane's data marks grouped into runs per direction: a run goes on while the next segment the
 * same way comes within `gapMs` (the width of a few pixels), so a burst draws as one bar.
 */
export function dataRuns(data: readonly DataMark[], gapMs: number): DataRun[] {
  const runs: DataRun[] = [];
  const open: Partial<Record<Direction, DataRun>> = {};
  for (const mark of data) {
    const run = open[mark.dir];
    if (run !== undefined && mark.t - run.to <= gapMs) {
      run.to = mark.t;
      run.bytes += mark.bytes;
      run.segments += 1;
    } else {
      const next = { dir: mark.dir, from: mark.t, to: mark.t, bytes: mark.bytes, segments: 1 };
      runs.push(next);
      open[mark.dir] = next;
    }
  }
  return runs;
}

/** For each lane (same order), how many other lanes were served while it was being served. */
export function servedOverlaps(lanes: readonly ConnectionLane[]): number[] {
  const spans = lanes.map((lane) => lane.served);
  // Sorted by start, each span only needs comparing with those that start before it ends.
  const order = spans
    .map((span, index) => ({ span, index }))
    .filter((entry): entry is { span: { from: number; to: number }; index: number } => !!entry.span)
    .sort((x, y) => x.span.from - y.span.from);
  const counts = lanes.map(() => 0);
  for (let i = 0; i < order.length; i++) {
    const mine = order[i]!;
    for (let j = i + 1; j < order.length && order[j]!.span.from <= mine.span.to; j++) {
      counts[mine.index]! += 1;
      counts[order[j]!.index]! += 1;
    }
  }
  return counts;
}

/**
 * The most lanes being served at one moment (their `served` spans overlapping): 1 for a server
 * that answers one connection after another, more for one that interleaves; 0 when none was.
 */
export function peakServed(lanes: readonly ConnectionLane[]): number {
  const events: [number, number][] = [];
  for (const lane of lanes) {
    if (lane.served === null) continue;
    events.push([lane.served.from, 1], [lane.served.to, -1]);
  }
  // At equal times a span starts before another ends: spans that touch count as overlapping.
  events.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  let now = 0;
  let peak = 0;
  for (const [, step] of events) {
    now += step;
    peak = Math.max(peak, now);
  }
  return peak;
}

/** The time span every lane is drawn against: the first packet to the last. */
export function timeSpan(lanes: readonly ConnectionLane[]): { start: number; end: number } {
  if (lanes.length === 0) return { start: 0, end: 0 };
  let start = Infinity;
  let end = -Infinity;
  for (const lane of lanes) {
    start = Math.min(start, lane.first);
    end = Math.max(end, lane.last);
  }
  return { start, end };
}

/**
 * Round times for an axis from `start` to `end` with about `count` ticks: the step of 1, 2 or 5
 * times a power of ten milliseconds that gives the count nearest `count`.
 */
export function axisTicks(start: number, end: number, count: number): number[] {
  const span = end - start;
  if (!(span > 0) || count < 1) return [start];
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const distance = (s: number) => Math.abs(span / s - count);
  const step = [1, 2, 5, 10]
    .map((m) => m * power)
    .reduce((best, s) => (distance(s) < distance(best) ? s : best));
  const ticks: number[] = [];
  for (let tick = Math.ceil(start / step) * step; tick <= end + step * 1e-9; tick += step)
    ticks.push(Number(tick.toPrecision(12)));
  return ticks;
}

/**
 * Each lane's name: its client's owner, numbered among lanes of the same owner when there are
 * several (`peer: crowd #3`), then the server's owner; host:port when an owner is unknown.
 */
export function laneNames(
  lanes: readonly ConnectionLane[],
  name: (endpoint: Endpoint) => string,
): { client: string; server: string }[] {
  const total = new Map<string, number>();
  for (const lane of lanes) total.set(name(lane.a), (total.get(name(lane.a)) ?? 0) + 1);
  const seen = new Map<string, number>();
  return lanes.map((lane) => {
    const client = name(lane.a);
    const k = (seen.get(client) ?? 0) + 1;
    seen.set(client, k);
    const many = (total.get(client) ?? 0) > 1 && lane.a.owner !== undefined;
    return { client: many ? `${client} #${k}` : client, server: name(lane.b) };
  });
}
