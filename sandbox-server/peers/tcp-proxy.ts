/**
 * tcp-proxy: listens on 127.0.0.1:PORT and, for each connection, connects to 127.0.0.1:TARGET
 * and forwards both ways (tcp-pipe.ts), splitting writes into small segments, delaying and
 * pacing them, or resetting both connections, as its options say and its seed decides. A FIN
 * on one side becomes a FIN on the other once what came before it has been sent.
 */
import net from 'node:net';
import type { PeerConfig, PeerGo, TcpProxyOptions } from './config.ts';
import { FaultLog } from './fault-log.ts';
import { faultsApply, SegmentFaults, streamSeed, type Way } from './fault-plan.ts';
import { listenOrExit, PEER_HOST } from './listen.ts';
import { BusyHorizon } from './busy-horizon.ts';
import type { FaultNote } from '../../lib/protocol.ts';
import type { PeerIo } from './peer-io.ts';
import { TcpPipe, type ResetCause } from './tcp-pipe.ts';

/** Runs the proxy until the run stops it. */
export function runTcpProxy(config: PeerConfig, io: PeerIo, go: Promise<PeerGo>): void {
  const options = config.options as unknown as TcpProxyOptions;
  const busy = new BusyHorizon(io);
  let connections = 0;
  // Connections accepted before the run's seed wait for it (paused: nothing is read meanwhile).
  const faults = new FaultLog(io);
  const ready = go.then(({ seed }) => {
    io.say({ code: 'peer-faults-seed', params: { seed } });
    return seed;
  });
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
    // A client that resets while it waits for the seed or the target must not crash the proxy.
    client.on('error', () => {});
    connections += 1;
    const number = connections;
    void ready.then((seed) => proxy(client, number, { seed, options, io, faults, busy }));
  });
  listenOrExit(server, config.port, io);
}

interface ProxyContext {
  seed: number;
  options: TcpProxyOptions;
  io: PeerIo;
  faults: FaultLog;
  busy: BusyHorizon;
}

/** Connects connection `number` to the target and forwards both ways. */
function proxy(client: net.Socket, number: number, context: ProxyContext): void {
  const { options, io } = context;
  const from = `${client.remoteAddress}:${client.remotePort}`;
  const target = `${PEER_HOST}:${options.target}`;
  io.say({ code: 'peer-proxy-connection', params: { number, from } });
  io.report('connection', { from });
  const upstream = net.connect({ port: options.target, host: PEER_HOST, allowHalfOpen: true });
  upstream.once('error', (error) => {
    const params = { number, target, error: error.message, from };
    io.say({ code: 'peer-proxy-connect-failed', params });
    if (!client.destroyed) client.resetAndDestroy();
  });
  upstream.once('connect', () => {
    upstream.removeAllListeners('error');
    if (client.destroyed) {
      io.say({ code: 'peer-proxy-gone', params: { number, from } });
      upstream.resetAndDestroy();
      return;
    }
    const via = `${PEER_HOST}:${upstream.localPort}`;
    io.say({ code: 'peer-proxy-forwarding', params: { number, target, via } });
    const ends = { client: `${client.localAddress}:${client.localPort}`, from, via, target };
    new ProxiedConnection(client, upstream, number, ends, context);
    client.resume();
  });
}

/** The four addresses of a proxied connection. */
interface Ends {
  /** The proxy's end of the client's connection (127.0.0.1:PORT), and the client's. */
  client: string;
  from: string;
  /** The proxy's end of its connection to the target, and the target's. */
  via: string;
  target: string;
}

/** Both pipes of a connection, and how it ends (a close, a reset, an error on either side). */
class ProxiedConnection {
  private readonly pipes: TcpPipe[];
  private resetDone = false;
  private readonly client: net.Socket;
  private readonly upstream: net.Socket;
  private readonly number: number;
  private readonly ends: Ends;
  private readonly context: ProxyContext;

  constructor(
    client: net.Socket,
    upstream: net.Socket,
    number: number,
    ends: Ends,
    context: ProxyContext,
  ) {
    this.client = client;
    this.upstream = upstream;
    this.number = number;
    this.ends = ends;
    this.context = context;
    // One write, one segment: the splits must leave as the learner will read them.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    this.pipes = [
      this.pipe('to-target', client, upstream, ends.from),
      this.pipe('from-target', upstream, client, ends.target),
    ];
    this.passOnErrors();
    let open = 2;
    const closed = (): void => {
      open -= 1;
      if (open > 0) return;
      context.io.say({ code: 'peer-proxy-closed', params: { number } });
      context.io.report('closed', { from: ends.from });
    };
    client.once('close', closed);
    upstream.once('close', closed);
  }

  private pipe(way: Way, source: net.Socket, dest: net.Socket, sender: string): TcpPipe {
    const { options, seed, faults, busy } = this.context;
    const applies = faultsApply(options.direction, way);
    return new TcpPipe(source, dest, {
      way,
      from: way === 'to-target' ? this.ends.via : this.ends.client,
      to: way === 'to-target' ? this.ends.target : this.ends.from,
      sender,
      faults: applies ? new SegmentFaults(streamSeed(seed, this.number, way), options) : null,
      options,
      fault: (fault) => faults.add({ proto: 'tcp', ...fault }),
      sendsAt: (at) => busy.sendsAt(at),
      reset: (index, why) => this.reset(index, why),
    });
  }

  /** Resets both connections (a fault), reporting the RST sent to each side. */
  private reset(index: number, why: ResetCause): void {
    if (this.resetDone) return;
    this.resetDone = true;
    for (const pipe of this.pipes) pipe.stop();
    for (const [socket, local, remote] of [
      [this.client, this.ends.client, this.ends.from],
      [this.upstream, this.ends.via, this.ends.target],
    ] as const) {
      this.context.faults.add({
        proto: 'tcp',
        action: 'reset',
        from: local,
        to: remote,
        index,
        bytes: 0,
        note: resetNote(remote, index, why),
      });
      if (!socket.destroyed) socket.resetAndDestroy();
    }
  }

  /** Either side going away abruptly takes the other with it, as abruptly. */
  private passOnErrors(): void {
    for (const [socket, other, who] of [
      [this.client, this.upstream, this.ends.from],
      [this.upstream, this.client, this.ends.target],
    ] as const) {
      socket.on('error', (error) => {
        if (this.resetDone) return;
        const params = { number: this.number, who, error: error.message };
        this.context.io.say({ code: 'peer-proxy-error', params });
        for (const pipe of this.pipes) pipe.stop();
        if (!other.destroyed) other.resetAndDestroy();
      });
    }
  }
}

/** What the proxy says about the RST it sent to `remote`. */
function resetNote(remote: string, index: number, why: ResetCause): FaultNote {
  if (why.drawn)
    return { code: 'fault-reset-drawn', params: { remote, index, resetRate: why.resetRate } };
  const { bytes, from, resetAfterBytes } = why;
  return { code: 'fault-reset-after-bytes', params: { remote, bytes, from, resetAfterBytes } };
}
