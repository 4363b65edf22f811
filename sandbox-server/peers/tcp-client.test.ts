import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpClientOptions } from '../../lib/lessons/peers.ts';
import type { PeerConfig } from './config.ts';
import type { PeerIo } from './peer-io.ts';
import { runTcpClient } from './tcp-client.ts';

type Report = { event: string } & Record<string, unknown>;

afterEach(() => {
  // runTcpClient sets the exit status of the process it runs in: here, vitest's worker.
  process.exitCode = undefined;
});

/** A server that records what each connection sent and how it ended. */
async function recordingServer() {
  const ends: Array<{ data: string; error?: string; fin: boolean }> = [];
  const server = net.createServer((socket) => {
    const end = { data: '', error: undefined as string | undefined, fin: false };
    ends.push(end);
    socket.on('data', (chunk) => (end.data += chunk.toString('utf8')));
    socket.on('end', () => (end.fin = true));
    socket.on('error', (error: NodeJS.ErrnoException) => (end.error = error.code));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, ends, port: (server.address() as net.AddressInfo).port };
}

describe('tcp-client with abort', () => {
  it('sends its lines, then resets each connection instead of closing it', async () => {
    const { server, ends, port } = await recordingServer();
    const reports: Report[] = [];
    const io: PeerIo = {
      say: () => {},
      report: (event, fields = {}) => reports.push({ event, ...fields }),
    };
    const config: PeerConfig = {
      peer: 'tcp-client',
      name: 'rude',
      port,
      options: TcpClientOptions.parse({ lines: ['half a request'], abort: true, connections: 2 }),
    };
    await runTcpClient(config, io, Promise.resolve({ seed: 7, lang: 'en' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.close();
    expect(ends).toEqual([
      { data: 'half a request\n', error: 'ECONNRESET', fin: false },
      { data: 'half a request\n', error: 'ECONNRESET', fin: false },
    ]);
    expect(reports.filter((r) => r.event === 'aborted').map((r) => r.connection)).toEqual([1, 2]);
    expect(reports.at(-1)).toEqual({ event: 'done', ok: true });
  });
});
