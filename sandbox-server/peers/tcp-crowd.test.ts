import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpCrowdOptions } from '../../lib/lessons/peers.ts';
import { renderPeerLine, type PeerLine } from '../../lib/notices/peer-lines.ts';
import type { PeerConfig } from './config.ts';
import { FAILURES_SHOWN } from './crowd-log.ts';
import type { PeerIo } from './peer-io.ts';
import { runTcpCrowd } from './tcp-crowd.ts';

type Report = { event: string; connection?: number; t?: number } & Record<string, unknown>;

const servers: net.Server[] = [];

afterEach(() => {
  // runTcpCrowd sets the exit status of the process it runs in: here, vitest's worker.
  process.exitCode = undefined;
  for (const server of servers.splice(0)) server.close();
});

/** Listens on a free loopback port with `onConnection`; every socket is destroyed at the end. */
async function serve(
  onConnection: (socket: net.Socket) => void,
  allowHalfOpen = false,
): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  server.on('close', () => sockets.forEach((socket) => socket.destroy()));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const close = server.close.bind(server);
  server.close = (callback) => {
    for (const socket of sockets) socket.destroy();
    return close(callback);
  };
  return (server.address() as net.AddressInfo).port;
}

/** Echoes every connection at once, as a threaded or selectors-based server does. */
const concurrentEcho = (socket: net.Socket) => socket.pipe(socket);

/** Echoes one connection at a time, in the order they came: a sequential server. */
function sequentialEcho(): (socket: net.Socket) => void {
  const queue: net.Socket[] = [];
  const next = () => {
    const socket = queue[0];
    if (!socket) return;
    socket.resume();
    socket.pipe(socket);
    socket.once('close', () => {
      queue.shift();
      next();
    });
  };
  return (socket) => {
    socket.pause();
    queue.push(socket);
    if (queue.length === 1) next();
  };
}

/** Runs a crowd against `port`; returns its reports, its terminal lines (English) and exit. */
async function crowd(port: number, options: Record<string, unknown>, seed = 7) {
  const reports: Report[] = [];
  const lines: PeerLine[] = [];
  const io: PeerIo = {
    say: (line) => lines.push(line),
    report: (event, fields = {}) => reports.push({ event, ...fields }),
  };
  const config: PeerConfig = {
    peer: 'tcp-crowd',
    name: 'crowd',
    port,
    options: TcpCrowdOptions.parse(options),
  };
  await runTcpCrowd(config, io, Promise.resolve({ seed, lang: 'en' }));
  const text = lines.map((line) => renderPeerLine(line, 'en'));
  return { reports, text, exitCode: process.exitCode, done: reports.at(-1)! };
}

const of = (reports: Report[], event: string) => reports.filter((r) => r.event === event);

describe('tcp-crowd', () => {
  it('is served by a concurrent server: all 100 while the stalled one stays open', async () => {
    const port = await serve(concurrentEcho);
    const run = await crowd(port, { connections: 100, lines: ['{word} {token}', 'n={number}'] });
    expect(run.done).toMatchObject({
      event: 'done',
      ok: true,
      served: 100,
      stalled: 1,
      connections: 100,
      servedWhileStalled: 100,
    });
    expect(run.done.maxInFlight).toBeGreaterThan(1);
    expect(run.exitCode).toBe(0);
    const connected = of(run.reports, 'connected');
    expect(connected.map((r) => r.connection)).toEqual(
      Array.from({ length: 101 }, (_, i) => i + 1),
    );
    expect(connected[0]).toMatchObject({ stalled: true });
    expect(of(run.reports, 'reply-matched')).toHaveLength(200);
    // The stalled connection sent 3 bytes of a line and was closed by the crowd at the end.
    expect(of(run.reports, 'sent')[0]!.data).toMatch(/^[a-z]{3}$/);
    expect(of(run.reports, 'closed').at(-1)).toMatchObject({
      connection: 1,
      by: 'crowd',
      state: 'open',
    });
    for (const report of run.reports) expect(report.t).toEqual(expect.any(Number));
    // Readable with 100 connections: a handful of lines, not one (or four) per connection.
    expect(run.text.length).toBeLessThanOrEqual(15);
    expect(run.text).toContain('100 of 100 connections finished: 100 answered');
    expect(run.text.at(-1)).toBe(
      'answered 100 of 100 connections, 100 of them while a stalled connection was still open; ' +
        `at most ${String(run.done.maxInFlight)} waited for an echo at the same moment`,
    );
  });

  it('finds a sequential server stuck behind the stalled client: none served, timeouts', async () => {
    const port = await serve(sequentialEcho());
    const run = await crowd(port, { connections: 12, replyTimeoutMs: 300 });
    expect(run.done).toMatchObject({ ok: false, served: 0, servedWhileStalled: 0 });
    expect(run.done.maxInFlight).toBe(12);
    expect(run.exitCode).toBe(1);
    expect(of(run.reports, 'timeout')).toHaveLength(12);
    expect(of(run.reports, 'timeout')[0]).toMatchObject({ phase: 'reply', seconds: 0.3 });
    const failures = run.text.filter((line) => line.startsWith('connection '));
    expect(failures).toHaveLength(FAILURES_SHOWN);
    expect(failures[0]).toMatch(/^connection \d+: expected ".+\\n" back, but nothing came/);
    expect(run.text).toContain(
      `${12 - FAILURES_SHOWN} more connections failed; only the first ones are written here`,
    );
    expect(run.text.at(-1)).toMatch(/the server seems to serve one client at a time/);
  });

  it('without stalled connections a sequential server serves them all, one at a time', async () => {
    const port = await serve(sequentialEcho());
    const run = await crowd(port, { connections: 10, stalled: 0, halfClose: true });
    expect(run.done).toMatchObject({ ok: true, served: 10, stalled: 0, servedWhileStalled: 0 });
    expect(of(run.reports, 'connected')[0]).toMatchObject({ connection: 1, stalled: false });
    expect(of(run.reports, 'closed').every((r) => r.clean && r.by === 'server')).toBe(true);
    expect(run.text.some((line) => line.includes('one client at a time'))).toBe(false);
  });

  it('notes a server that gives up on the stalled client, and counts what it served after', async () => {
    // Closes any connection that sent no full line within 100 ms (a server-side timeout).
    const port = await serve((socket) => {
      const timer = setTimeout(() => socket.destroy(), 100);
      socket.once('data', (data) => {
        if (!data.includes('\n')) return;
        clearTimeout(timer);
        socket.write(data);
        socket.pipe(socket);
      });
    });
    const run = await crowd(port, { connections: 3, startGapMs: 300 });
    expect(of(run.reports, 'closed')[0]).toMatchObject({ connection: 1, by: 'server' });
    expect(run.text).toContainEqual(
      expect.stringMatching(/^the server (closed|reset) stalled connection 1 after 0\.\d+ s$/),
    );
    expect(run.done).toMatchObject({ ok: true, served: 3, servedWhileStalled: 0 });
  });

  it('holds its own against hostile servers: floods, wrong echoes, resets, a kept-open end', async () => {
    const flood = Buffer.alloc(256 * 1024, 'x');
    const hostile = [
      (socket: net.Socket) => socket.on('data', () => socket.write(flood)),
      (socket: net.Socket) =>
        socket.on('data', (data) => socket.write(data.toString().toUpperCase())),
      (socket: net.Socket) => socket.on('data', () => socket.resetAndDestroy()),
      (socket: net.Socket) => socket.on('data', (data) => socket.write(data)),
    ];
    // The last one echoes but never closes its side after the crowd's FIN.
    const ports = await Promise.all(hostile.map((handler, i) => serve(handler, i === 3)));
    const runs = [];
    for (const port of ports)
      runs.push(await crowd(port, { connections: 5, replyTimeoutMs: 300, halfClose: true }));
    const [flooded, wrong, reset, keptOpen] = runs;
    expect(of(flooded!.reports, 'reply-mismatch')).toHaveLength(5);
    expect(wrong!.text).toContainEqual(
      expect.stringMatching(/expected ".+\\n" back, but received/),
    );
    expect(reset!.text).toContainEqual(
      expect.stringMatching(/the server (reset|closed) the connection before echoing/),
    );
    expect(of(keptOpen!.reports, 'timeout')[0]).toMatchObject({ phase: 'close' });
    expect(keptOpen!.text).toContainEqual(
      expect.stringMatching(/did not close the connection within 0\.3 s/),
    );
    for (const run of runs) expect(run.done).toMatchObject({ ok: false, served: 0 });
  });

  it('sends the same text on the same connection for the same seed', async () => {
    const port = await serve(concurrentEcho);
    const sent = async (seed: number) => {
      const run = await crowd(port, { connections: 20, lines: ['{word}', '{zh}'] }, seed);
      const byConnection = of(run.reports, 'sent').map((r) => `${r.connection}:${r.data}`);
      return byConnection.sort();
    };
    const first = await sent(42);
    expect(await sent(42)).toEqual(first);
    expect(await sent(43)).not.toEqual(first);
  });

  it('says so when nothing listens, and fails', async () => {
    const port = await serve(() => {});
    servers.pop()!.close();
    const run = await crowd(port, {});
    expect(run.reports[0]).toMatchObject({ event: 'connect-failed', connection: 1 });
    expect(run.done).toMatchObject({ ok: false, served: 0, connections: 20 });
    expect(run.text).toContainEqual(expect.stringMatching(/is your server listening on port/));
  }, 10_000);

  describe('bulkBytes', () => {
    const BULK = 6 * 1024 * 1024;
    const options = { connections: 4, lines: ['{word}'], bulkBytes: BULK, replyTimeoutMs: 500 };

    it('ends the last connection, opened after the others, with a bulk line echoed whole', async () => {
      const port = await serve(concurrentEcho);
      const run = await crowd(port, options);
      expect(run.done).toMatchObject({ ok: true, served: 4, servedWhileStalled: 4 });
      const bulk = of(run.reports, 'sent').find((r) => r.bytes === BULK)!;
      expect(bulk.connection).toBe(5);
      // Reports carry a preview and counts, never the MiBs themselves.
      expect(String(bulk.data).length).toBeLessThan(100);
      const firstOthersClosed = of(run.reports, 'closed').find((r) => r.connection === 4)!;
      expect(bulk.t!).toBeGreaterThanOrEqual(firstOthersClosed.t!);
      expect(of(run.reports, 'reply-matched').at(-1)).toMatchObject({ connection: 5, bytes: BULK });
    });

    it('finds a server that drops what send() did not take: so many of so many bytes', async () => {
      // Echoes the first MiB, then drops the rest as a server ignoring send()'s count would.
      const port = await serve((socket) => {
        let echoed = 0;
        socket.on('data', (data: Buffer) => {
          const kept = data.subarray(0, Math.max(0, 1024 * 1024 - echoed));
          echoed += kept.length;
          if (kept.length > 0) socket.write(kept);
        });
      });
      const run = await crowd(port, options);
      expect(run.done).toMatchObject({ ok: false, served: 3 });
      // The connection's short line came back first and counts towards the MiB.
      const line = of(run.reports, 'sent').find((r) => r.connection === 5)!;
      const got = 1024 * 1024 - Buffer.byteLength(String(line.data));
      expect(of(run.reports, 'reply-mismatch')[0]).toMatchObject({
        connection: 5,
        bytes: got,
        matchedBytes: got,
        expectedBytes: BULK,
      });
      expect(run.text).toContain(
        `connection 5: expected ${BULK} bytes back, but received ${got} (the first ${got} of them right)`,
      );
    });

    it('sends the same bulk text for the same seed', async () => {
      const port = await serve(concurrentEcho);
      const preview = async (seed: number) =>
        of((await crowd(port, options, seed)).reports, 'sent').find((r) => r.bytes === BULK)!.data;
      expect(await preview(9)).toBe(await preview(9));
      expect(await preview(9)).not.toBe(await preview(10));
    });
  });
});
