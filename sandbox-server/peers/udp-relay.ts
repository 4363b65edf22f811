/**
 * udp-relay: bound to 127.0.0.1:PORT, relays every datagram to 127.0.0.1:TARGET and the replies
 * back to whoever sent it, losing, duplicating, reordering and delaying them as its options say
 * and its seed decides (fault-plan.ts). Each client is a flow with its own socket toward the
 * target, so replies find their way back; each fault is reported (fault-log.ts).
 */
import dgram from 'node:dgram';
import type { PeerConfig, PeerGo, UdpRelayOptions } from './config.ts';
import type { FaultNote } from '../../lib/protocol.ts';
import { FaultLog, type Fault } from './fault-log.ts';
import { DatagramFaults, faultsApply, streamSeed, type Way } from './fault-plan.ts';
import { PEER_HOST } from './listen.ts';
import { Pacer } from './pacer.ts';
import { BusyHorizon } from './busy-horizon.ts';
import type { PeerIo } from './peer-io.ts';

/** Clients relayed at once; datagrams of more are not relayed (a run has a handful). */
const MAX_FLOWS = 64;
/** A datagram held back to be reordered leaves after this long if no other one follows. */
export const REORDER_HOLD_MS = 200;
/** Bytes waiting for their time to leave; past it the relay's queue is full (drop tail). */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
/** Longest wait for the link at the bandwidth limit before a datagram is dropped. */
const MAX_BACKLOG_MS = 2000;

/** One datagram on its way through. */
interface Datagram {
  data: Buffer;
  way: Way;
  index: number;
  from: string;
  to: string;
  copies: 1 | 2;
  delayMs: number;
}

/** One direction of one flow. */
interface Lane {
  faults: DatagramFaults;
  pacer: Pacer;
  count: number;
  held: { datagram: Datagram; timer: ReturnType<typeof setTimeout> } | null;
}

/** One client and its socket toward the target. */
interface Flow {
  client: { address: string; port: number };
  upstream: dgram.Socket;
  lanes: Record<Way, Lane>;
}

/** Runs the relay until the run stops it. */
export function runUdpRelay(config: PeerConfig, io: PeerIo, go: Promise<PeerGo>): void {
  const options = config.options as unknown as UdpRelayOptions;
  const front = dgram.createSocket('udp4');
  let bound = false;
  front.on('error', (error) => {
    if (bound) return io.say({ code: 'peer-socket-error', params: { error: error.message } });
    const address = `${PEER_HOST}:${config.port}`;
    io.say({ code: 'peer-bind-failed', params: { address, error: error.message } });
    io.report('listen-failed', { port: config.port, error: error.message });
    process.exit(1);
  });
  // Datagrams that come before the run's seed wait for it, in order.
  const ready = go.then(({ seed }) => {
    io.say({ code: 'peer-faults-seed', params: { seed } });
    return new UdpRelay(front, config.port, options, seed, io);
  });
  front.on('message', (data, remote) => {
    void ready.then((relay) => relay.fromClient(data, remote));
  });
  front.bind(config.port, PEER_HOST, () => {
    bound = true;
    const address = `${PEER_HOST}:${config.port}`;
    const target = `${PEER_HOST}:${options.target}`;
    io.say({ code: 'peer-relay-bound', params: { address, target } });
    io.report('listening', { port: config.port });
  });
}

/** The relay once it knows its seed. */
class UdpRelay {
  private readonly flows = new Map<string, Flow>();
  private readonly faults: FaultLog;
  private readonly busy: BusyHorizon;
  private queuedBytes = 0;
  private saidFull = false;
  private readonly front: dgram.Socket;
  private readonly address: string;
  private readonly target: string;
  private readonly options: UdpRelayOptions;
  private readonly seed: number;
  private readonly io: PeerIo;

  constructor(
    front: dgram.Socket,
    port: number,
    options: UdpRelayOptions,
    seed: number,
    io: PeerIo,
  ) {
    this.front = front;
    this.address = `${PEER_HOST}:${port}`;
    this.target = `${PEER_HOST}:${options.target}`;
    this.options = options;
    this.seed = seed;
    this.io = io;
    this.faults = new FaultLog(io);
    this.busy = new BusyHorizon(io);
  }

  /** A datagram from a client, toward the target. */
  fromClient(data: Buffer, remote: dgram.RemoteInfo): void {
    const flow = this.flowOf(remote);
    if (!flow) return;
    this.pass(flow, 'to-target', data, `${remote.address}:${remote.port}`, this.address);
  }

  private flowOf(remote: dgram.RemoteInfo): Flow | null {
    const key = `${remote.address}:${remote.port}`;
    const known = this.flows.get(key);
    if (known) return known;
    if (this.flows.size >= MAX_FLOWS) {
      if (!this.saidFull)
        this.io.say({ code: 'peer-too-many-clients', params: { max: MAX_FLOWS, client: key } });
      this.saidFull = true;
      return null;
    }
    const number = this.flows.size + 1;
    const upstream = dgram.createSocket('udp4');
    const flow: Flow = {
      client: { address: remote.address, port: remote.port },
      upstream,
      lanes: {
        'to-target': this.lane(number, 'to-target'),
        'from-target': this.lane(number, 'from-target'),
      },
    };
    upstream.on('error', (error) =>
      this.io.say({
        code: 'peer-relay-socket-error',
        params: { client: key, error: error.message },
      }),
    );
    upstream.on('message', (data, from) => {
      // Only the target's replies belong to this flow.
      if (from.port !== this.options.target) return;
      const local = `${PEER_HOST}:${upstream.address().port}`;
      this.pass(flow, 'from-target', data, `${from.address}:${from.port}`, local);
    });
    upstream.bind(0, PEER_HOST, () => {
      const via = `${PEER_HOST}:${upstream.address().port}`;
      this.io.say({ code: 'peer-new-client', params: { client: key, target: this.target, via } });
    });
    this.flows.set(key, flow);
    return flow;
  }

  private lane(flow: number, way: Way): Lane {
    const seed = faultsApply(this.options.direction, way) ? streamSeed(this.seed, flow, way) : null;
    const bandwidth = seed === null ? 0 : this.options.bandwidthBytesPerSecond;
    return {
      faults: new DatagramFaults(seed, this.options),
      pacer: new Pacer(bandwidth),
      count: 0,
      held: null,
    };
  }

  /** Decides the fate of one datagram and sends it on (or not). */
  private pass(flow: Flow, way: Way, data: Buffer, from: string, to: string): void {
    const lane = flow.lanes[way];
    lane.count += 1;
    const fate = lane.faults.next();
    const datagram: Datagram = {
      data,
      way,
      index: lane.count,
      from,
      to,
      copies: fate.duplicate ? 2 : 1,
      delayMs: fate.delayMs,
    };
    const back = way === 'from-target';
    const toward = back ? `${flow.client.address}:${flow.client.port}` : this.target;
    const named = { index: datagram.index, from, bytes: data.length, toward, back };
    if (fate.drop)
      return this.fault(datagram, 'dropped', {
        code: 'fault-datagram-dropped',
        params: { ...named, queueFull: false },
      });
    if (this.full(lane, data.length * datagram.copies))
      return this.fault(datagram, 'dropped', {
        code: 'fault-datagram-dropped',
        params: { ...named, queueFull: true },
      });
    if (fate.duplicate)
      this.fault(datagram, 'duplicated', { code: 'fault-datagram-duplicated', params: named });
    if (fate.delayMs > 0) {
      const params = { ...named, delayMs: fate.delayMs };
      this.fault(datagram, 'delayed', { code: 'fault-datagram-delayed', params }, fate.delayMs);
    }
    if (fate.reorder && !lane.held) {
      const timer = setTimeout(() => this.releaseAlone(flow, lane), REORDER_HOLD_MS);
      lane.held = { datagram, timer };
      this.busy.sendsAt(performance.now() + REORDER_HOLD_MS + datagram.delayMs);
      return;
    }
    this.send(flow, lane, datagram);
    this.releaseAfter(flow, lane, datagram);
  }

  /** Sends the datagram held back (if any) right after `next`. */
  private releaseAfter(flow: Flow, lane: Lane, next: Datagram): void {
    const held = lane.held;
    if (!held) return;
    lane.held = null;
    clearTimeout(held.timer);
    const { datagram } = held;
    this.fault(datagram, 'reordered', {
      code: 'fault-datagram-reordered',
      params: { index: datagram.index, from: datagram.from, after: next.index },
    });
    this.send(flow, lane, { ...datagram, delayMs: Math.max(datagram.delayMs, next.delayMs) });
  }

  /** No datagram followed the one held back: it leaves late instead. */
  private releaseAlone(flow: Flow, lane: Lane): void {
    const held = lane.held;
    if (!held) return;
    lane.held = null;
    const { datagram } = held;
    this.fault(
      datagram,
      'delayed',
      {
        code: 'fault-datagram-late',
        params: { index: datagram.index, from: datagram.from, holdMs: REORDER_HOLD_MS },
      },
      REORDER_HOLD_MS,
    );
    this.send(flow, lane, datagram);
  }

  private full(lane: Lane, bytes: number): boolean {
    return (
      this.queuedBytes + bytes > MAX_QUEUED_BYTES ||
      lane.pacer.backlogMs(performance.now()) > MAX_BACKLOG_MS
    );
  }

  /** Sends the datagram (and its copy) once the link and its delay allow. */
  private send(flow: Flow, lane: Lane, datagram: Datagram): void {
    const now = performance.now();
    const bytes = datagram.data.length * datagram.copies;
    const wait = lane.pacer.take(now, bytes) - now + datagram.delayMs;
    const out = (): void => {
      for (let copy = 0; copy < datagram.copies; copy++) this.deliver(flow, datagram);
    };
    if (wait < 1) return out();
    this.busy.sendsAt(now + wait);
    this.queuedBytes += bytes;
    setTimeout(() => {
      this.queuedBytes -= bytes;
      out();
    }, wait);
  }

  private deliver(flow: Flow, datagram: Datagram): void {
    const done = (error: Error | null): void => {
      if (error) {
        const { index, from } = datagram;
        this.io.say({ code: 'peer-relay-failed', params: { index, from, error: error.message } });
      }
    };
    if (datagram.way === 'to-target')
      flow.upstream.send(datagram.data, this.options.target, PEER_HOST, done);
    else this.front.send(datagram.data, flow.client.port, flow.client.address, done);
  }

  private fault(
    datagram: Datagram,
    action: Fault['action'],
    note: FaultNote,
    delayMs?: number,
  ): void {
    this.faults.add({
      proto: 'udp',
      action,
      from: datagram.from,
      to: datagram.to,
      index: datagram.index,
      bytes: datagram.data.length,
      ...(delayMs === undefined ? {} : { delayMs }),
      note,
    });
  }
}
