/**
 * Numbers the conversations of a capture (TCP connections and UDP flows, one per 4-tuple and
 * per TCP SYN that reuses the 4-tuple) and hands each TCP segment to its connection.
 */
import type { DecodedFrame } from './decode-frame.ts';
import { TcpConnection, type TcpAnnotations } from './tcp-connection.ts';

/** A conversation between two endpoints. */
export interface Flow {
  id: number;
  proto: 'tcp' | 'udp';
  /** The endpoint that sent first (a TCP client, when the SYN was seen), then the other. */
  a: { addr: string; port: number };
  b: { addr: string; port: number };
}

/** The fields a flow adds to a packet. */
export type FlowAnnotations = TcpAnnotations & { conn?: number };

/** Tracks every flow of one capture. */
export class FlowTracker {
  private readonly byKey = new Map<string, { flow: Flow; tcp?: TcpConnection }>();
  private readonly all: Flow[] = [];

  /** Annotates a decoded TCP or UDP frame; other frames get nothing. */
  observe(frame: DecodedFrame): FlowAnnotations {
    if ((frame.proto !== 'tcp' && frame.proto !== 'udp') || frame.sport === undefined) return {};
    const from = endpoint(frame.src, frame.sport);
    const to = endpoint(frame.dst, frame.dport!);
    const key = flowKey(frame.proto, from, to);
    let entry = this.byKey.get(key);
    if (entry === undefined || (frame.tcp && entry.tcp?.isNewSyn(from, frame.tcp))) {
      entry = this.start(frame, key);
    }
    if (!entry.tcp || !frame.tcp) return { conn: entry.flow.id };
    return { conn: entry.flow.id, ...entry.tcp.observe(from, to, frame.tcp) };
  }

  /** The flow a quoted packet (in an ICMP error) belongs to, without creating one. */
  find(proto: number, src: string, sport: number, dst: string, dport: number): number | undefined {
    const name = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : null;
    if (name === null) return undefined;
    return this.byKey.get(flowKey(name, endpoint(src, sport), endpoint(dst, dport)))?.flow.id;
  }

  /** Every flow so far, in order of first packet. */
  flows(): readonly Flow[] {
    return this.all;
  }

  private start(frame: DecodedFrame, key: string): { flow: Flow; tcp?: TcpConnection } {
    const id = this.all.length + 1;
    const flow: Flow = {
      id,
      proto: frame.proto as Flow['proto'],
      a: { addr: frame.src, port: frame.sport! },
      b: { addr: frame.dst, port: frame.dport! },
    };
    const entry = frame.proto === 'tcp' ? { flow, tcp: new TcpConnection(id) } : { flow };
    this.all.push(flow);
    this.byKey.set(key, entry);
    return entry;
  }
}

function endpoint(addr: string, port: number): string {
  return `${addr}|${port}`;
}

/** The same key in both directions. */
function flowKey(proto: string, one: string, other: string): string {
  return one < other ? `${proto} ${one} ${other}` : `${proto} ${other} ${one}`;
}
