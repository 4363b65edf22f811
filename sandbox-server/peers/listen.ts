/** Shared start-up of the server peers: listen on loopback (or explain why not), track connections. */
import type net from 'node:net';
import type { PeerIo } from './peer-io.ts';

/** The only address peers listen on: the run's network namespace has nothing else. */
export const PEER_HOST = '127.0.0.1';

/** Listens on 127.0.0.1:port; reports `listening`, or logs the error and exits 1. */
export function listenOrExit(server: net.Server, port: number, io: PeerIo): void {
  server.on('error', (error) => {
    io.say({
      code: 'peer-listen-failed',
      params: { address: `${PEER_HOST}:${port}`, error: error.message },
    });
    io.report('listen-failed', { port, error: error.message });
    process.exit(1);
  });
  server.listen(port, PEER_HOST, () => {
    io.say({ code: 'peer-listening', params: { address: `${PEER_HOST}:${port}` } });
    io.report('listening', { port });
  });
}

/**
 * Announces a server peer's new connection and reports how it ends (a `connection` report, then
 * `closed`), saying why when it fails; returns the client's address, which names it in reports.
 */
export function trackConnection(socket: net.Socket, io: PeerIo): string {
  const from = `${socket.remoteAddress}:${socket.remotePort}`;
  io.say({ code: 'peer-connection-from', params: { from } });
  io.report('connection', { from });
  socket.on('error', (error) =>
    io.say({ code: 'peer-connection-failed', params: { from, error: error.message } }),
  );
  socket.on('close', (hadError) => io.report('closed', { from, clean: !hadError }));
  return from;
}
