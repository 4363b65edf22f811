import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TlsClientOptions } from '../../lib/lessons/peers.ts';
import { makeRunPki, type LeafPem, type RunPki } from '../run/run-pki.ts';
import type { PeerConfig, PeerGo } from './config.ts';
import type { PeerIo } from './peer-io.ts';
import { firstWords, testServer } from './tls-client.ts';

type Report = { event: string } & Record<string, unknown>;

let pki: RunPki;
const servers: net.Server[] = [];
beforeAll(async () => {
  pki = await makeRunPki({ learnerServer: true });
});
afterAll(() => servers.forEach((server) => server.close()));

/** Listens on a free port with `server`; its port. */
async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

/** A TLS echo server presenting `leaf`, like the learner's solution. */
function tlsEcho(leaf: LeafPem, transform = (data: Buffer) => data): net.Server {
  return tls.createServer(leaf, (socket) => {
    socket.on('data', (data: Buffer) => socket.write(transform(data)));
    socket.on('end', () => socket.end());
    socket.on('error', () => {});
  });
}

/** Runs the client against `port`; whether it passed, and its reports. */
async function check(port: number, lines = ['{word} {zh}', 'two']) {
  const reports: Report[] = [];
  const io: PeerIo = {
    say: () => {},
    report: (event, f = {}) => void reports.push({ event, ...f }),
  };
  const options = TlsClientOptions.parse({ lines, connectTimeoutMs: 500, replyTimeoutMs: 500 });
  const config: PeerConfig = { peer: 'tls-client', name: 'checker', port, options };
  const go = Promise.resolve<PeerGo>({ seed: 3, lang: 'en' });
  const ok = await testServer(config, io, go, pki.caCert);
  return { ok, reports, of: (event: string) => reports.filter((r) => r.event === event) };
}

describe('tls-client', () => {
  it("passes a server presenting the learner's certificate that echoes every line", async () => {
    const result = await check(await listen(tlsEcho(pki.learnerServer!)));
    expect(result.ok).toBe(true);
    expect(result.of('handshake')[0]).toMatchObject({ protocol: 'TLSv1.3', sni: 'localhost' });
    expect(result.of('reply-matched')).toHaveLength(2);
    expect(String(result.of('sent')[0]?.data)).toMatch(/^[a-z]+ \S+\n$/);
  });

  it('fails a server whose certificate is for another host, naming the error', async () => {
    const result = await check(await listen(tlsEcho(pki.leaves['wrong-host'])));
    expect(result.ok).toBe(false);
    expect(result.of('handshake-failed')[0]?.error).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('fails a plain TCP echo server: its ClientHello comes back', async () => {
    const plain = net.createServer((socket) => socket.pipe(socket).on('error', () => {}));
    const result = await check(await listen(plain));
    expect(result.of('handshake-failed')[0]).toMatchObject({
      error: 'ERR_SSL_UNEXPECTED_MESSAGE',
      message: 'unexpected message',
    });
  });

  it('reports the echo that did not match', async () => {
    const upper = tlsEcho(pki.learnerServer!, (data) => Buffer.from(data.toString().toUpperCase()));
    const result = await check(await listen(upper), ['abc']);
    expect(result.ok).toBe(false);
    expect(result.of('reply-mismatch')[0]).toMatchObject({ expected: 'abc\n', got: 'ABC\n' });
  });

  it('gives up when nothing listens', async () => {
    const port = await listen(net.createServer());
    servers.pop()!.close();
    await new Promise((r) => setTimeout(r, 20));
    expect((await check(port)).of('connect-failed')).toHaveLength(1);
  });
});

describe('firstWords', () => {
  it("keeps OpenSSL's reason and drops its source location", () => {
    const message =
      '40DDA3911E7F0000:error:0A0000F4:SSL routines:ossl_statem_client_read_transition:unexpected message:../deps/openssl/openssl/ssl/statem/statem_clnt.c:423:\n';
    expect(firstWords(message)).toBe('unexpected message');
    expect(firstWords('socket hang up')).toBe('socket hang up');
  });
});
