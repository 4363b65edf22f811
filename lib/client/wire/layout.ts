/**
 * The sequence diagram's layout, before pixels: lifelines (one per endpoint, in order of first
 * appearance), rows in time order (phase headings, packets, collapsed data bursts) and the
 * brackets that mark each labelled phase. Linear in the packets, so it is redone on every frame
 * of a stream rather than patched.
 */
import type { Endpoint } from './endpoints.ts';
import { destinationOf, endpointKey, endpointOf, sourceOf } from './endpoints.ts';
import { carriesData, isPureAck, stepName } from './flags.ts';
import type { WirePacket } from './wire-packet.ts';

/** The phases a heading names; data is the unlabelled rest. */
export type LabelledPhase = 'handshake' | 'teardown' | 'reset';

/**
 * A vertical line for one endpoint, from the row where it first shows to its last row. Columns
 * are reused once an endpoint is done, so a hundred short connections need two columns, not a
 * hundred and one.
 */
export interface Lifeline {
  index: number;
  endpoint: Endpoint;
  column: number;
  /** Its first and last row (the first is its start row when it takes over a column). */
  first: number;
  last: number;
}

/** Where endpoints take over columns that others used before: their heads, drawn inline. */
export interface StartRow {
  kind: 'start';
  key: string;
  /** The lifelines that start here. */
  lifelines: number[];
}

/** A heading above the first packet of a phase: `SYN → SYN-ACK → ACK`. */
export interface PhaseRow {
  kind: 'phase';
  key: string;
  conn: number;
  phase: LabelledPhase;
  /** The phase's segments by name, in order (`SYN`, `SYN-ACK`, `ACK`). */
  steps: string[];
  /** A reset of a connection that never opened (the port had no listener). */
  refused: boolean;
}

/** One packet, drawn as one arrow. */
export interface PacketRow {
  kind: 'packet';
  key: string;
  packet: WirePacket;
  from: number;
  to: number;
  /** The burst this packet belongs to, when that burst is expanded. */
  burst?: number;
}

/** Consecutive data segments one way on one connection, drawn as one expandable row. */
export interface BurstRow {
  kind: 'burst';
  key: string;
  /** Frame number of the burst's first packet. */
  id: number;
  conn: number;
  /** Lifelines of the data's sender and receiver. */
  from: number;
  to: number;
  packets: readonly WirePacket[];
  /** Packets that carry data (the rest are acknowledgements going back). */
  segments: number;
  bytes: number;
  expanded: boolean;
}

export type Row = StartRow | PhaseRow | PacketRow | BurstRow;

/** The extent of a labelled phase, from its heading to its last packet. */
export interface Bracket {
  conn: number;
  phase: LabelledPhase;
  first: number;
  last: number;
  /** Column in the bracket gutter: phases of different connections may overlap in time. */
  lane: number;
}

/** Everything the diagram draws. */
export interface SequenceLayout {
  lifelines: Lifeline[];
  /** Columns the lifelines need (the most endpoints alive at once). */
  columns: number;
  /** The lifelines of each column, in order. */
  byColumn: number[][];
  rows: Row[];
  brackets: Bracket[];
  lanes: number;
  /** Packets shown or collapsed (after the connection filter). */
  packets: number;
}

/** How to lay out. */
export interface LayoutOptions {
  /** Show only this connection (and the ICMP errors about it). */
  conn?: number | null;
  /** Bursts (by `BurstRow.id`) to show packet by packet. */
  expanded?: ReadonlySet<number>;
  /** Fewest data segments that collapse into a burst. */
  burstMin?: number;
}

/** Data segments in a row that collapse by default. */
export const DEFAULT_BURST_MIN = 4;

interface Span {
  id: number;
  conn: number;
  phase: LabelledPhase;
  members: WirePacket[];
  refused: boolean;
}

/** Lays out `packets` (in capture order) as a sequence diagram. */
export function layoutSequence(
  packets: readonly WirePacket[],
  options: LayoutOptions = {},
): SequenceLayout {
  const filter = options.conn ?? null;
  const visible = filter === null ? packets : packets.filter((p) => p.conn === filter);
  const builder = new Builder(flowEnds(packets), options);
  const spans = findSpans(visible);
  visible.forEach((packet, i) => builder.add(packet, spans.startingAt.get(i), spans.of[i]));
  return builder.finish(visible.length);
}

/** Each flow's first sender and receiver, to draw an ICMP error from the endpoint it is about. */
function flowEnds(packets: readonly WirePacket[]): Map<number, { a: Endpoint; b: Endpoint }> {
  const ends = new Map<number, { a: Endpoint; b: Endpoint }>();
  for (const packet of packets) {
    if (packet.conn === undefined || packet.proto === 'icmp' || ends.has(packet.conn)) continue;
    ends.set(packet.conn, { a: sourceOf(packet), b: destinationOf(packet) });
  }
  return ends;
}

/** Groups each connection's consecutive packets of one labelled phase. */
function findSpans(visible: readonly WirePacket[]): {
  startingAt: Map<number, Span>;
  of: (Span | undefined)[];
} {
  const open = new Map<number, Span>();
  const synAcked = new Set<number>();
  const startingAt = new Map<number, Span>();
  const of: (Span | undefined)[] = [];
  visible.forEach((packet, i) => {
    const { conn, phase } = packet;
    if (conn === undefined || packet.proto !== 'tcp') return;
    if (packet.flags?.includes('SYN') && packet.flags.includes('ACK')) synAcked.add(conn);
    if (phase !== 'handshake' && phase !== 'teardown' && phase !== 'reset') {
      open.delete(conn);
      return;
    }
    let span = open.get(conn);
    if (span === undefined || span.phase !== phase) {
      const refused = phase === 'reset' && !synAcked.has(conn);
      span = { id: packet.n, conn, phase, members: [], refused };
      open.set(conn, span);
      startingAt.set(i, span);
    }
    span.members.push(packet);
    of[i] = span;
  });
  return { startingAt, of };
}

/** Builds the rows one packet at a time, holding back candidates for a burst. */
class Builder {
  private readonly lifelines: Lifeline[] = [];
  private readonly byKey = new Map<string, Lifeline>();
  private readonly rows: Row[] = [];
  private readonly brackets = new Map<number, Bracket>();
  private readonly flows: Map<number, { a: Endpoint; b: Endpoint }>;
  private readonly expanded: ReadonlySet<number>;
  private readonly burstMin: number;
  private pending: WirePacket[] = [];
  private pendingSender: string | null = null;

  constructor(flows: Map<number, { a: Endpoint; b: Endpoint }>, options: LayoutOptions) {
    this.flows = flows;
    this.expanded = options.expanded ?? new Set();
    this.burstMin = options.burstMin ?? DEFAULT_BURST_MIN;
  }

  add(packet: WirePacket, starts: Span | undefined, span: Span | undefined): void {
    if (this.pending.length > 0 && !this.continuesBurst(packet)) this.flush();
    if (span === undefined && burstCandidate(packet)) {
      this.pending.push(packet);
      if (carriesData(packet)) this.pendingSender ??= endpointKey(packet.src, packet.sport);
      return;
    }
    if (starts !== undefined) this.heading(starts);
    const index = this.packetRow(packet);
    if (span !== undefined) this.brackets.get(span.id)!.last = index;
  }

  finish(packets: number): SequenceLayout {
    this.flush();
    const brackets = [...this.brackets.values()];
    const { columns, byColumn } = placeColumns(this.lifelines);
    const rows = insertStartRows(this.rows, this.lifelines, brackets);
    const lanes = assignLanes(brackets);
    return { lifelines: this.lifelines, columns, byColumn, rows, brackets, lanes, packets };
  }

  private continuesBurst(packet: WirePacket): boolean {
    const first = this.pending[0]!;
    if (!burstCandidate(packet) || packet.conn !== first.conn) return false;
    if (!carriesData(packet)) return true;
    return (
      this.pendingSender === null || endpointKey(packet.src, packet.sport) === this.pendingSender
    );
  }

  private heading(span: Span): void {
    const steps = span.members.map((member) => stepName(member.flags));
    this.rows.push({
      kind: 'phase',
      key: `h${span.id}`,
      conn: span.conn,
      phase: span.phase,
      steps,
      refused: span.refused,
    });
    const first = this.rows.length - 1;
    this.brackets.set(span.id, { conn: span.conn, phase: span.phase, first, last: first, lane: 0 });
  }

  private packetRow(packet: WirePacket, burst?: number): number {
    const [from, to] = this.ends(packet);
    this.touch(from, to);
    const row: PacketRow = { kind: 'packet', key: `p${packet.n}`, packet, from, to };
    if (burst !== undefined) row.burst = burst;
    this.rows.push(row);
    return this.rows.length - 1;
  }

  /** Ends the held-back packets: one burst row when there are enough data segments. */
  private flush(): void {
    const members = this.pending;
    this.pending = [];
    this.pendingSender = null;
    const data = members.filter(carriesData);
    if (data.length < this.burstMin) {
      members.forEach((packet) => this.packetRow(packet));
      return;
    }
    // Every member's endpoints live on through the burst row, in order of first appearance.
    members.forEach((packet) => this.touch(...this.ends(packet)));
    const [from, to] = this.ends(data[0]!);
    const id = members[0]!.n;
    const expanded = this.expanded.has(id);
    const bytes = data.reduce((sum, packet) => sum + packet.len, 0);
    const conn = members[0]!.conn!;
    this.rows.push({
      kind: 'burst',
      key: `b${id}`,
      id,
      conn,
      from,
      to,
      packets: members,
      segments: data.length,
      bytes,
      expanded,
    });
    if (expanded) members.forEach((packet) => this.packetRow(packet, id));
  }

  /** Extends lifelines to the row about to be added. */
  private touch(...indices: number[]): void {
    const row = this.rows.length;
    for (const index of indices) {
      const lifeline = this.lifelines[index]!;
      if (lifeline.first < 0) lifeline.first = row;
      lifeline.last = row;
    }
  }

  /** The lifelines a packet goes from and to; an ICMP error comes from the endpoint it is about. */
  private ends(packet: WirePacket): [number, number] {
    const flow =
      packet.proto === 'icmp' && packet.conn !== undefined && this.flows.get(packet.conn);
    if (flow) return [this.lifeline(flow.b), this.lifeline(flow.a)];
    return [
      this.lifelineOf(packet.src, packet.sport, packet.srcOwner),
      this.lifelineOf(packet.dst, packet.dport, packet.dstOwner),
    ];
  }

  /** The lifeline of an address and port; endpoint objects are made only for new ones. */
  private lifelineOf(addr: string, port: number | undefined, owner: string | undefined): number {
    const known = this.byKey.get(endpointKey(addr, port));
    if (known === undefined) return this.lifeline(endpointOf(addr, port, owner));
    if (owner !== undefined) known.endpoint.owner ??= owner;
    return known.index;
  }

  private lifeline(endpoint: Endpoint): number {
    const known = this.byKey.get(endpoint.key);
    if (known !== undefined) {
      if (endpoint.owner !== undefined) known.endpoint.owner ??= endpoint.owner;
      return known.index;
    }
    const lifeline = {
      index: this.lifelines.length,
      endpoint: { ...endpoint },
      column: 0,
      first: -1,
      last: -1,
    };
    this.lifelines.push(lifeline);
    this.byKey.set(endpoint.key, lifeline);
    return lifeline.index;
  }
}

/**
 * A packet that may sit inside a collapsed burst: plain data or a plain acknowledgement on a
 * connection, with nothing a learner should not miss (no state change, retransmission, loss or
 * other fault; a segment a proxy split off is plain data, and a burst counts them).
 */
function burstCandidate(packet: WirePacket): boolean {
  if (packet.conn === undefined || packet.bad !== undefined || packet.dropped) return false;
  if (packet.faults?.some((mark) => mark.action !== 'split')) return false;
  if (packet.retrans || packet.srcState !== undefined || packet.dstState !== undefined)
    return false;
  if (packet.phase !== undefined && packet.phase !== 'data') return false;
  return carriesData(packet) || isPureAck(packet);
}

/** Puts each lifeline in the leftmost column free since its last occupant's last row. */
function placeColumns(lifelines: Lifeline[]): { columns: number; byColumn: number[][] } {
  const lastRow: number[] = [];
  const byColumn: number[][] = [];
  // Lifelines are made in order of first appearance, so their first rows only grow.
  for (const lifeline of lifelines) {
    let column = lastRow.findIndex((last) => last < lifeline.first);
    if (column < 0) column = lastRow.length;
    lastRow[column] = lifeline.last;
    (byColumn[column] ??= []).push(lifeline.index);
    lifeline.column = column;
  }
  return { columns: lastRow.length, byColumn };
}

/**
 * Adds a start row where lifelines take over a used column (before the heading of the phase
 * they start in), and moves every row index after it.
 */
function insertStartRows(rows: Row[], lifelines: Lifeline[], brackets: Bracket[]): Row[] {
  const startsAt = new Map<number, number[]>();
  const used = new Set<number>();
  for (const lifeline of lifelines) {
    if (used.has(lifeline.column)) {
      let at = lifeline.first;
      if (rows[at - 1]?.kind === 'phase') at -= 1;
      startsAt.set(at, [...(startsAt.get(at) ?? []), lifeline.index]);
    }
    used.add(lifeline.column);
  }
  if (startsAt.size === 0) return rows;
  const moved: number[] = [];
  const startRow = new Map<number, number>();
  const result: Row[] = [];
  rows.forEach((row, i) => {
    const starting = startsAt.get(i);
    if (starting) {
      starting.forEach((index) => startRow.set(index, result.length));
      result.push({ kind: 'start', key: `s${i}`, lifelines: starting });
    }
    moved[i] = result.length;
    result.push(row);
  });
  for (const lifeline of lifelines) {
    lifeline.first = startRow.get(lifeline.index) ?? moved[lifeline.first]!;
    lifeline.last = moved[lifeline.last]!;
  }
  for (const bracket of brackets) {
    bracket.first = moved[bracket.first]!;
    bracket.last = moved[bracket.last]!;
  }
  return result;
}

/** Gives overlapping brackets different lanes (first fit, in order of start); returns the lane count. */
function assignLanes(brackets: Bracket[]): number {
  const laneEnds: number[] = [];
  for (const bracket of brackets) {
    let lane = laneEnds.findIndex((end) => end < bracket.first);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = bracket.last;
    bracket.lane = lane;
  }
  return laneEnds.length;
}
