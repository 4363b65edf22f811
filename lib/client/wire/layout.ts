/**
 * The sequence diagram's layout, before pixels: lifelines (one per endpoint, in order of first
 * appearance), rows in time order (phase headings, packets, collapsed data bursts) and the
 * brackets that mark each labelled phase. Linear in the packets, so it is redone on every frame
 * of a stream rather than patched.
 */
import type { Endpoint } from './endpoints.ts';
import { destinationOf, sourceOf } from './endpoints.ts';
import { carriesData, isPureAck, stepName } from './flags.ts';
import type { WirePacket } from './wire-packet.ts';

/** The phases a heading names; data is the unlabelled rest. */
export type LabelledPhase = 'handshake' | 'teardown' | 'reset';

/** A vertical line for one endpoint. */
export interface Lifeline {
  index: number;
  endpoint: Endpoint;
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

export type Row = PhaseRow | PacketRow | BurstRow;

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
      if (carriesData(packet)) this.pendingSender ??= sourceOf(packet).key;
      return;
    }
    if (starts !== undefined) this.heading(starts);
    const index = this.packetRow(packet);
    if (span !== undefined) this.brackets.get(span.id)!.last = index;
  }

  finish(packets: number): SequenceLayout {
    this.flush();
    const brackets = [...this.brackets.values()];
    const lanes = assignLanes(brackets);
    return { lifelines: this.lifelines, rows: this.rows, brackets, lanes, packets };
  }

  private continuesBurst(packet: WirePacket): boolean {
    const first = this.pending[0]!;
    if (!burstCandidate(packet) || packet.conn !== first.conn) return false;
    if (!carriesData(packet)) return true;
    return this.pendingSender === null || sourceOf(packet).key === this.pendingSender;
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
    members.forEach((packet) => this.ends(packet)); // lifelines in order of first appearance
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

  /** The lifelines a packet goes from and to; an ICMP error comes from the endpoint it is about. */
  private ends(packet: WirePacket): [number, number] {
    const flow =
      packet.proto === 'icmp' && packet.conn !== undefined && this.flows.get(packet.conn);
    if (flow) return [this.lifeline(flow.b), this.lifeline(flow.a)];
    return [this.lifeline(sourceOf(packet)), this.lifeline(destinationOf(packet))];
  }

  private lifeline(endpoint: Endpoint): number {
    const known = this.byKey.get(endpoint.key);
    if (known !== undefined) {
      if (endpoint.owner !== undefined) known.endpoint.owner ??= endpoint.owner;
      return known.index;
    }
    const lifeline = { index: this.lifelines.length, endpoint: { ...endpoint } };
    this.lifelines.push(lifeline);
    this.byKey.set(endpoint.key, lifeline);
    return lifeline.index;
  }
}

/**
 * A packet that may sit inside a collapsed burst: plain data or a plain acknowledgement on a
 * connection, with nothing a learner should not miss (no state change, retransmission or loss).
 */
function burstCandidate(packet: WirePacket): boolean {
  if (packet.conn === undefined || packet.bad !== undefined || packet.dropped) return false;
  if (packet.retrans || packet.srcState !== undefined || packet.dstState !== undefined)
    return false;
  if (packet.phase !== undefined && packet.phase !== 'data') return false;
  return carriesData(packet) || isPureAck(packet);
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
