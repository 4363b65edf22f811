/**
 * tcp-greeter: for every connection, sends one greeting line and closes the connection. Two
 * options make it a server that fails the way real ones do: `stallMs` holds the greeting (a
 * stalled server, which only a client with a timeout survives) and `downForMs` stops listening
 * for a while once the run begins (a restarting server, which refuses connections meanwhile).
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { PeerConfig, PeerGo, TcpGreeterOptions } from './config.ts';
import { listenOrExit, PEER_HOST } from './listen.ts';
import { quote, type PeerIo } from './peer-io.ts';

/** Runs the greeter until the run stops it. */
export function runTcpGreeter(config: PeerConfig, io: PeerIo, go: Promise<PeerGo>): void {
  const options = config.options as unknown as TcpGreeterOptions;
  const server = net.createServer((socket) => greet(socket, options, io));
  // It listens at once even when it is to be down: the run starts the next process once this
  // one listens, and a warm sandbox needs it listening ahead of its run.
  listenOrExit(server, config.port, io);
  if (options.downForMs > 0) void go.then(() => goDown(server, config.port, options.downForMs, io));
}

function greet(socket: net.Socket, options: TcpGreeterOptions, io: PeerIo): void {
  const { greeting, stallMs } = options;
  const from = `${socket.remoteAddress}:${socket.remotePort}`;
  io.say({ code: 'peer-connection-from', params: { from } });
  io.report('connection', { from });
  if (stallMs > 0) {
    io.say({ code: 'peer-greeter-stalling', params: { seconds: stallMs / 1000 } });
    io.report('stalling', { from, ms: stallMs });
  }
  const timer = setTimeout(() => {
    // A client that timed out and left gets nothing: writing to it would only be reset.
    if (!socket.writable) return;
    socket.end(greeting, () => {
      io.say({ code: 'peer-greeted', params: { data: quote(greeting) } });
      io.report('sent', { from, data: greeting });
    });
  }, stallMs);
  socket.on('error', (error) =>
    io.say({ code: 'peer-connection-failed', params: { from, error: error.message } }),
  );
  socket.on('close', (hadError) => {
    clearTimeout(timer);
    io.report('closed', { from, clean: !hadError });
  });
}

/** Stops listening for `ms` (SYNs to the port are answered with RST meanwhile), then listens. */
async function goDown(server: net.Server, port: number, ms: number, io: PeerIo): Promise<void> {
  await new Promise((resolve) => server.close(resolve));
  io.say({ code: 'peer-greeter-down', params: { seconds: ms / 1000 } });
  io.report('down', { port, ms });
  await delay(ms);
  server.listen(port, PEER_HOST, () => {
    io.say({ code: 'peer-listening', params: { address: `${PEER_HOST}:${port}` } });
    io.report('up', { port });
  });
}
