import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { PeerSpec } from '../../lib/lessons/peers.ts';
import { renderPeerLine, type PeerLine } from '../../lib/notices/peer-lines.ts';
import type { PeerConfig, PeerGo } from './config.ts';
import { runHttpClient } from './http-client.ts';
import { chunksOf, runHttpServer } from './http-server.ts';
import type { PeerIo } from './peer-io.ts';

type Report = { event: string } & Record<string, unknown>;

async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A PeerIo that keeps reports and English lines. */
function recordingIo(onReport?: (event: string) => void) {
  const reports: Report[] = [];
  const lines: string[] = [];
  const io: PeerIo = {
    say: (line: PeerLine) => void lines.push(renderPeerLine(line, 'en')),
    report: (event, fields = {}) => {
      reports.push({ event, ...fields });
      onReport?.(event);
    },
  };
  return { io, reports, lines };
}

function configOf(peer: 'http-server' | 'http-client', port: number, options: object): PeerConfig {
  const spec = PeerSpec.parse({ peer, port, options });
  return { peer, name: peer, port, options: spec.options as Record<string, unknown> };
}

const GO: Promise<PeerGo> = Promise.resolve({ seed: 1, lang: 'en' });
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

async function startServer(options: object) {
  const port = await freePort();
  let listening = () => {};
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const recorded = recordingIo((event) => event === 'listening' && listening());
  runHttpServer(configOf('http-server', port, options), recorded.io, GO);
  await ready;
  return { port, ...recorded };
}

/** Sends raw bytes, reads until the server closes (or `ms` pass). */
function rawExchange(port: number, text: string, ms = 1500): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', done);
    socket.on('error', done);
  });
}

describe('http-server', () => {
  it('answers a route with Content-Length and reports the raw head it received', async () => {
    const server = await startServer({
      routes: [{ path: '/hi', body: 'hi {word}\n' }],
      keepAlive: false,
    });
    const reply = await rawExchange(
      server.port,
      'GET /hi?x=1 HTTP/1.1\r\nHost: localhost\r\nX-Test: yes\r\n\r\n',
    );
    expect(reply).toMatch(
      /^HTTP\/1\.1 200 OK\r\nContent-Type: text\/plain; charset=utf-8\r\nContent-Length: \d+\r\nConnection: close\r\n\r\nhi [a-z]+\n$/,
    );
    const request = server.reports.find((r) => r.event === 'request')!;
    expect(request).toMatchObject({ method: 'GET', path: '/hi?x=1', httpVersion: '1.1' });
    expect(request.headers).toMatchObject({ host: 'localhost', 'x-test': 'yes' });
    expect(request.raw).toBe('GET /hi?x=1 HTTP/1.1\r\nHost: localhost\r\nX-Test: yes\r\n\r\n');
    const response = server.reports.find((r) => r.event === 'response')!;
    expect(reply.endsWith(String(response.body))).toBe(true);
    expect(response).toMatchObject({ status: 200, framing: 'content-length', keepAlive: false });
    expect(server.lines).toContain('request "GET /hi?x=1 HTTP/1.1"');
  });

  it('chunks a body in several chunks of varied sizes, cut between characters', async () => {
    const chunked = await startServer({
      routes: [{ path: '/', body: '123456 你好世界 apple 再见朋友' }],
      framing: 'chunked',
    });
    const reply = await rawExchange(
      chunked.port,
      'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    );
    expect(reply).toContain('Transfer-Encoding: chunked\r\n');
    expect(reply).not.toContain('Content-Length');
    const stream = reply.slice(reply.indexOf('\r\n\r\n') + 4);
    expect(stream).toBe(
      '3\r\n123\r\n11\r\n456 你好世界 \r\n6\r\napple \r\nc\r\n再见朋友\r\n0\r\n\r\n',
    );
    const response = chunked.reports.find((r) => r.event === 'response')!;
    expect(response).toMatchObject({ framing: 'chunked', chunks: [3, 17, 6, 12] });
  });

  it('never sends a body of two characters or more as a single chunk', () => {
    for (const body of ['ab', 'a你', '你好', 'abcdef', '你好，apple！Xy3kP9q', 'x'.repeat(100)]) {
      const pieces = chunksOf(Buffer.from(body));
      expect(pieces.length, body).toBeGreaterThan(1);
      expect(Buffer.concat(pieces).toString('utf8')).toBe(body);
      // No piece starts or ends inside a character.
      for (const piece of pieces) expect(Buffer.from(piece.toString('utf8'))).toEqual(piece);
    }
    expect(chunksOf(Buffer.from('x'.repeat(100))).map((piece) => piece.length)).toEqual([
      3, 17, 6, 12, 26, 3, 17, 6, 10,
    ]);
  });

  it("lets a route's framing override the server's, and ends a close-framed body by closing", async () => {
    const server = await startServer({
      routes: [
        { path: '/length', body: 'abcdef' },
        { path: '/chunked', body: 'abcdef', framing: 'chunked' },
      ],
    });
    const reply = await rawExchange(
      server.port,
      'GET /length HTTP/1.1\r\nHost: a\r\n\r\nGET /chunked HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    );
    expect(reply).toMatch(
      /Content-Length: 6\r\nConnection: keep-alive\r\n\r\nabcdefHTTP\/1\.1 200/,
    );
    expect(reply).toMatch(
      /Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n$/,
    );
    const framings = server.reports.filter((r) => r.event === 'response').map((r) => r.framing);
    expect(framings).toEqual(['content-length', 'chunked']);
    const closing = await startServer({
      routes: [{ path: '/', body: 'abcdef', framing: 'close' }],
      framing: 'chunked',
    });
    const closed = await rawExchange(closing.port, 'GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(closed).not.toMatch(/Content-Length|Transfer-Encoding/);
    expect(closed).toMatch(/Connection: close\r\n\r\nabcdef$/);
  });

  it('keeps a connection alive for a second request, and says 404 and 405', async () => {
    const server = await startServer({ routes: [{ path: '/', body: 'root' }] });
    const reply = await rawExchange(
      server.port,
      'GET /nope HTTP/1.1\r\nHost: a\r\n\r\nPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    );
    expect(reply.match(/^HTTP\/1\.1 \d+/gm)).toEqual([
      'HTTP/1.1 404',
      'HTTP/1.1 405',
      'HTTP/1.1 200',
    ]);
    expect(reply).toContain('Allow: GET, HEAD\r\n');
    const requests = server.reports.filter((r) => r.event === 'request');
    expect(requests.map((r) => [r.method, r.body])).toEqual([
      ['GET', ''],
      ['POST', 'abc'],
      ['GET', ''],
    ]);
    expect(requests[2]!.raw).toBe('GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(server.lines).toContain('nothing is served at /nope (GET); paths served: /');
  });

  it.each([
    ['GET / HTTP/1.1\nHost: a\n\n', 'bare-lf', 'line 1 "GET / HTTP/1.1" ends with "\\n" alone'],
    ['GET / HTTP/1.1\r\n\r\n', 'missing-host', 'an HTTP/1.1 request needs a Host header'],
    ['GET /\r\n\r\n', 'bad-start-line', 'the request line "GET /" is not'],
    ['GET / HTTP/1.1\r\nHost a\r\n\r\n', 'bad-header-line', 'line 2 "Host a" is not a header'],
  ])('answers %j with 400 and explains it (%s)', async (raw, reason, said) => {
    const server = await startServer({});
    const reply = await rawExchange(server.port, raw);
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    const bad = server.reports.find((r) => r.event === 'bad-request')!;
    expect(bad).toMatchObject({ reason, raw });
    expect(server.lines.join('\n')).toContain(said);
  });

  it('finds a bare "\\n" even when the head came in several pieces', async () => {
    const server = await startServer({});
    const socket = net.connect(server.port, '127.0.0.1').resume();
    await once(socket, 'connect');
    socket.write('GET / HTTP/1.1\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write('Host: a\n\n');
    await once(socket, 'close');
    expect(server.reports.find((r) => r.event === 'bad-request')).toMatchObject({
      reason: 'bare-lf',
      line: 2,
      code: 'HPE_CR_EXPECTED',
      raw: 'GET / HTTP/1.1\r\nHost: a\n\n',
    });
  });

  it('says when a head has not ended a second after it began', async () => {
    const server = await startServer({});
    await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: a\r\n', 1300);
    expect(server.lines.join('\n')).toContain(
      'received "GET / HTTP/1.1\\r\\nHost: a\\r\\n" (25 bytes) so far; waiting for the empty line',
    );
  });
});

/** A raw TCP server answering every connection with `reply` (and closing unless told not to). */
async function rawServer(reply: string, close = true) {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.once('data', () => (close ? socket.end(reply) : socket.write(reply)));
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => {
    sockets.forEach((socket) => socket.destroy());
    server.close();
  });
  return (server.address() as net.AddressInfo).port;
}

async function runClient(port: number, options: object) {
  const recorded = recordingIo();
  await runHttpClient(configOf('http-client', port, options), recorded.io, GO);
  const exitCode = process.exitCode;
  process.exitCode = 0;
  return { ...recorded, exitCode };
}

describe('http-client', () => {
  it('reports a whole response with its raw head', async () => {
    const port = await rawServer('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhey');
    const client = await runClient(port, { requests: [{ path: '/a', body: 'x' }] });
    expect(client.exitCode).toBe(0);
    expect(client.reports.find((r) => r.event === 'request')).toMatchObject({
      path: '/a',
      body: 'x',
      headers: { Host: `127.0.0.1:${port}`, Connection: 'close', 'Content-Length': 1 },
    });
    expect(client.reports.find((r) => r.event === 'response')).toMatchObject({
      status: 200,
      body: 'hey',
      framing: 'content-length',
      raw: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n',
    });
    expect(client.lines).toContain('received HTTP/1.1 200 OK (Content-Length, 3-byte body): "hey"');
    expect(client.reports.at(-1)).toMatchObject({ event: 'done', ok: true, answered: 1 });
  });

  it('explains a status line ended with a bare "\\n"', async () => {
    const port = await rawServer('HTTP/1.1 200 OK\nContent-Length: 2\n\nhi');
    const client = await runClient(port, {});
    expect(client.exitCode).toBe(1);
    expect(client.reports.find((r) => r.event === 'error')).toMatchObject({
      reason: 'parse',
      problem: 'bare-lf',
      line: 1,
    });
    expect(client.lines.join('\n')).toContain('line 1 "HTTP/1.1 200 OK" ends with "\\n" alone');
  });

  it('explains a body without a length on a connection kept open', async () => {
    const port = await rawServer('HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\nhello', false);
    const client = await runClient(port, { timeoutMs: 300 });
    expect(client.reports.find((r) => r.event === 'error')).toMatchObject({
      reason: 'timeout',
      phase: 'body',
      framing: 'close',
      bytes: 5,
    });
    expect(client.lines.join('\n')).toContain('neither Content-Length nor Transfer-Encoding');
  });

  it('tells a Content-Length larger than the body, closed or kept open', async () => {
    const closed = await rawServer('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello');
    const early = await runClient(closed, {});
    expect(early.reports.find((r) => r.event === 'error')).toMatchObject({
      reason: 'closed',
      bytes: 5,
      announced: 10,
    });
    const open = await rawServer('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello', false);
    const waited = await runClient(open, { timeoutMs: 300 });
    expect(waited.lines.join('\n')).toContain('Content-Length announced 10 bytes, but only 5 came');
  });
});
