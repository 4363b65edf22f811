/**
 * A connected pair of UNIX stream sockets, one end for the front and one for the jailer, handed
 * to each over its IPC channel. Made through a socket file in a fresh root-only (0700) directory
 * that is removed as soon as the one connection is made, so no other process can connect.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Two connected sockets, paused (as a socket must be when it is sent to another process). */
export function socketPair(): Promise<[net.Socket, net.Socket]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handshake-channel-'));
  const file = path.join(dir, 's');
  const server = net.createServer({ pauseOnConnect: true });
  const cleanUp = (): void => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      cleanUp();
      reject(error);
    });
    server.listen(file, () => {
      const client = net.connect(file);
      client.pause();
      client.once('error', reject);
      server.once('connection', (accepted) => {
        cleanUp();
        client.off('error', reject);
        resolve([accepted, client]);
      });
    });
  });
}
