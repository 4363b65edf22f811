import net from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TcpGreeterOptions } from '../../lib/lessons/peers.ts';
import type { PeerConfig, PeerGo } from './config.ts';
import type { PeerIo } from './peer-io.ts';
import { runTcpGreeter } from './tcp-greeter.ts';

type Report = { event: string } & Record<string, unknown>;

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts a greeter with `options`; resolves once it listens, with its reports and go. */
async function startGreeter(options: Record<string, unknown>) {
  const port = await freePort();
  const reports: Report[] = [];
  let sayGo: (go: PeerGo) => void = () => {};
  const go = new Promise<PeerGo>((resolve) => (sayGo = resolve));
  const listening = new Promise<void>((resolve) => {
    const io: PeerIo = {
      say: () => {},
      report: (event, fields = {}) => {
        reports.push({ event, ...fields });
        if (event === 'listening') resolve();
      },
    };
    const config: PeerConfig = {
      peer: 'tcp-greeter',
      name: 'greeter',
      port,
      options: TcpGreeterOptions.parse(options),
    };
    runTcpGreeter(config, io, go);
  });
  await listening;
  return { port, reports, begin: () => sayGo({ seed: 1, lang: 'en' }) };
}

/** Connects and reads until the greeter closes, or the error that ended the attempt. */
function fetchGreeting(port: number, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('tcp-greeter', () => {
  it('holds the greeting for stallMs, so a client without a timeout waits', async () => {
    const greeter = await startGreeter({ greeting: 'hi\n', stallMs: 300 });
    greeter.begin();
    const started = Date.now();
    expect(await fetchGreeting(greeter.port, 100)).toBe('timeout');
    expect(await fetchGreeting(greeter.port)).toBe('hi\n');
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(greeter.reports.filter((r) => r.event === 'stalling')).toHaveLength(2);
    // The client that gave up is never written to: one greeting was sent, not two.
    await until(() => greeter.reports.filter((r) => r.event === 'closed').length === 2);
    expect(greeter.reports.filter((r) => r.event === 'sent')).toHaveLength(1);
  });

  it('listens ahead of its run, refuses for downForMs once the run begins, then greets', async () => {
    const greeter = await startGreeter({ greeting: 'back\n', downForMs: 300 });
    greeter.begin();
    await until(() => greeter.reports.some((r) => r.event === 'down'));
    expect(await fetchGreeting(greeter.port)).toBe('ECONNREFUSED');
    await until(() => greeter.reports.some((r) => r.event === 'up'));
    expect(await fetchGreeting(greeter.port)).toBe('back\n');
    await until(() => greeter.reports.some((r) => r.event === 'closed'));
    expect(greeter.reports.map((r) => r.event)).toEqual([
      'listening',
      'down',
      'up',
      'connection',
      'sent',
      'closed',
    ]);
  });

  it('greets at once by default', async () => {
    const greeter = await startGreeter({});
    greeter.begin();
    expect(await fetchGreeting(greeter.port)).toBe('Hello from the greeter!\n');
    expect(greeter.reports.some((r) => r.event === 'stalling' || r.event === 'down')).toBe(false);
  });
});
