/**
 * A made-up but well-formed capture for tests and benchmarks: clients that each open a TCP
 * connection to one server, exchange lines and bursts, and close, with the fields lib/packets
 * would give them (relative numbers, phases, state changes, owners). Deterministic.
 */
import type { TcpFlag, TcpState } from '../../packets/packet.ts';
import type { WirePacket } from './wire-packet.ts';

/** The shape of the traffic. */
export interface SyntheticOptions {
  connections: number;
  /** Request/response exchanges per connection. */
  exchanges: number;
  /** Data segments of the burst each connection sends after its exchanges (0: none). */
  burst?: number;
  serverPort?: number;
  /**
   * `sequential` (default): each connection runs from SYN to last ACK before the next opens, as
   * a server that serves one at a time is seen; `interleaved`: they take turns packet by packet,
   * as a concurrent server is seen.
   */
  order?: 'sequential' | 'interleaved';
}

interface Side {
  port: number;
  owner: string;
  seq: number;
}

/** Packets of `options.connections` connections, in time order. */
export function syntheticCapture(options: SyntheticOptions): WirePacket[] {
  const packets: WirePacket[] = [];
  const server = options.serverPort ?? 9000;
  let t = 0;
  const emit = (from: Side, to: Side, conn: number, fields: Partial<WirePacket>) => {
    t += 0.05;
    const packet: WirePacket = {
      n: packets.length + 1,
      t: Math.round(t * 1000) / 1000,
      proto: 'tcp',
      src: '127.0.0.1',
      dst: '127.0.0.1',
      sport: from.port,
      dport: to.port,
      srcOwner: from.owner,
      dstOwner: to.owner,
      len: 0,
      conn,
      seq: from.seq,
      ack: to.seq,
      win: 65536,
      phase: 'data',
      ...fields,
    };
    if (packet.ack === undefined) delete packet.ack; // a SYN acknowledges nothing
    from.seq +=
      packet.len + (fields.flags?.includes('SYN') || fields.flags?.includes('FIN') ? 1 : 0);
    packets.push(packet);
  };
  const scripts: (() => void)[][] = [];
  for (let c = 1; c <= options.connections; c++) {
    const steps: (() => void)[] = [];
    scripts.push(steps);
    const client: Side = { port: 40000 + c, owner: 'client.py', seq: 0 };
    const peer: Side = { port: server, owner: 'server.py', seq: 0 };
    // Packets are emitted later, in the order `options.order` picks.
    const tcp = (from: Side, to: Side, flags: TcpFlag[], extra: Partial<WirePacket> = {}) =>
      steps.push(() => emit(from, to, c, { flags, ...extra }));
    const states = (srcState?: TcpState, dstState?: TcpState) => ({
      ...(srcState && { srcState }),
      ...(dstState && { dstState }),
    });
    tcp(client, peer, ['SYN'], {
      phase: 'handshake',
      ack: undefined,
      mss: 65495,
      wscale: 7,
      optLen: 20,
      ...states('SYN_SENT'),
    });
    tcp(peer, client, ['SYN', 'ACK'], {
      phase: 'handshake',
      mss: 65495,
      wscale: 7,
      optLen: 20,
      ...states('SYN_RECEIVED', 'ESTABLISHED'),
    });
    tcp(client, peer, ['ACK'], { phase: 'handshake', ...states(undefined, 'ESTABLISHED') });
    for (let e = 0; e < options.exchanges; e++) {
      const line = `line ${e} of ${c}\n`;
      tcp(client, peer, ['PSH', 'ACK'], { len: line.length, preview: line.replace('\n', '\\n') });
      tcp(peer, client, ['ACK']);
      tcp(peer, client, ['PSH', 'ACK'], { len: line.length, preview: line.replace('\n', '\\n') });
      tcp(client, peer, ['ACK']);
    }
    for (let b = 0; b < (options.burst ?? 0); b++) {
      tcp(client, peer, ['ACK'], { len: 1448, preview: 'x'.repeat(64) });
      if (b % 2 === 1) tcp(peer, client, ['ACK']);
    }
    tcp(client, peer, ['FIN', 'ACK'], { phase: 'teardown', ...states('FIN_WAIT_1', 'CLOSE_WAIT') });
    tcp(peer, client, ['ACK'], { phase: 'teardown', ...states(undefined, 'FIN_WAIT_2') });
    tcp(peer, client, ['FIN', 'ACK'], { phase: 'teardown', ...states('LAST_ACK', 'TIME_WAIT') });
    tcp(client, peer, ['ACK'], { phase: 'teardown', ...states(undefined, 'CLOSED') });
  }
  if (options.order === 'interleaved') {
    const longest = Math.max(0, ...scripts.map((steps) => steps.length));
    for (let i = 0; i < longest; i++) for (const steps of scripts) steps[i]?.();
  } else {
    for (const steps of scripts) for (const step of steps) step();
  }
  return packets;
}
