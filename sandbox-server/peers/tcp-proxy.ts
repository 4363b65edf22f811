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
import type { PeerIo } from './peer-io.ts';
import { TcpPipe } from './tcp-pipe.ts';

/** Runs the proxy until the run stops it. */
export function runTcpProxy(config: PeerConfig, io: PeerIo, go: Promise<PeerGo>): void {
  const options = config.options as unknown as TcpProxyOptions;
  const faults = new FaultLog(io);
  let connections = 0;
  // Connections accepted before the run's seed wait for it (paused: nothing is read meanwhile).
  const ready = go.then(({ seed }) => {
    io.log(`faults drawn from seed ${seed}`);
    return seed;
  });
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
    connections += 1;
    const number = connections;
    void ready.then((seed) => proxy(client, number, { seed, options, io, faults }));
  });
  listenOrExit(server, config.port, io);
}

interface ProxyContext {
  seed: number;
  options: TcpProxyOptions;
  io: PeerIo;
  faults: FaultLog;
}

/** Connects connection `number` to the target and forwards both ways. */
function proxy(client: net.Socket, number: number, context: ProxyContext): void {
  const { options, io } = context;
  const from = `${client.remoteAddress}:${client.remotePort}`;
  const target = `${PEER_HOST}:${options.target}`;
  io.log(`connection #${number} from ${from}`);
  io.report('connection', { from });
  const upstream = net.connect({ port: options.target, host: PEER_HOST, allowHalfOpen: true });
  upstream.once('error', (error) => {
    io.log(
      `connection #${number}: could not connect to ${target} (${error.message}): resetting ${from}`,
    );
    if (!client.destroyed) client.resetAndDestroy();
  });
  upstream.once('connect', () => {
    upstream.removeAllListeners('error');
    const via = `${PEER_HOST}:${upstream.localPort}`;
    io.log(`connection #${number}: forwarding to ${target} from ${via}`);
    const ends = { client: `${client.localAddress}:${client.localPort}`, from, via, target };
    wire(client, upstream, number, ends, context);
    client.resume();
  });
}

/** Both pipes of a connection, and how it ends (a close, a reset, an error on either side). */
function wire(
  client: net.Socket,
  upstream: net.Socket,
  number: number,
  ends: { client: string; from: string; via: string; target: string },
  context: ProxyContext,
): void {
  const { options, io, faults } = context;
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  let resetDone = false;
  const pipes: TcpPipe[] = [];
  const reset = (index: number, why: string): void => {
    if (resetDone) return;
    resetDone = true;
    for (const pipe of pipes) pipe.stop();
    for (const [socket, local, remote] of [
      [client, ends.client, ends.from],
      [upstream, ends.via, ends.target],
    ] as const) {
      faults.add({
        proto: 'tcp',
        action: 'reset',
        from: local,
        to: remote,
        index,
        bytes: 0,
        detail: `reset the connection to ${remote} (sent RST): ${why}`,
      });
      if (!socket.destroyed) socket.resetAndDestroy();
    }
  };
  const pipe = (way: Way, source: net.Socket, dest: net.Socket, sender: string): TcpPipe => {
    const applies = faultsApply(options.direction, way);
    return new TcpPipe(source, dest, {
      way,
      from: way === 'to-target' ? ends.via : ends.client,
      to: way === 'to-target' ? ends.target : ends.from,
      sender,
      faults: applies ? new SegmentFaults(streamSeed(context.seed, number, way), options) : null,
      options,
      fault: (fault) => faults.add({ proto: 'tcp', ...fault }),
      reset,
    });
  };
  pipes.push(
    pipe('to-target', client, upstream, ends.from),
    pipe('from-target', upstream, client, ends.target),
  );
  // Either side going away abruptly takes the other with it, as abruptly.
  for (const [socket, other, who] of [
    [client, upstream, ends.from],
    [upstream, client, ends.target],
  ] as const) {
    socket.on('error', (error) => {
      if (resetDone) return;
      io.log(`connection #${number}: ${who}: ${error.message}; resetting the other side too`);
      for (const each of pipes) each.stop();
      if (!other.destroyed) other.resetAndDestroy();
    });
  }
  let open = 2;
  const closed = (): void => {
    open -= 1;
    if (open > 0) return;
    io.log(`connection #${number} closed`);
    io.report('closed', { from: ends.from });
  };
  client.once('close', closed);
  upstream.once('close', closed);
}
