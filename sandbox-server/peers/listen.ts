/** Shared start-up of the server peers: listen on loopback, say so, or explain why not. */
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
