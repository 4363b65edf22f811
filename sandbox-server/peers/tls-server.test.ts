import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TlsServerOptions } from '../../lib/lessons/peers.ts';
import { makeRunPki, type CertificateKind, type RunPki } from '../run/run-pki.ts';
import type { PeerConfig, PeerGo } from './config.ts';
import type { PeerIo } from './peer-io.ts';
import { alertOf, startTlsServer } from './tls-server.ts';

type Report = { event: string } & Record<string, unknown>;

let pki: RunPki;
let dir: string;
const servers: net.Server[] = [];

beforeAll(async () => {
  pki = await makeRunPki();
  dir = mkdtempSync(path.join(tmpdir(), 'tls-server-test-'));
  writeFileSync(path.join(dir, 'ca.pem'), pki.caCert);
});
afterAll(() => {
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a tls-server presenting `certificate`, already told to go; resolves once it listens. */
async function startServer(options: Record<string, unknown> & { certificate?: CertificateKind }) {
  const reports: Report[] = [];
  const lines: string[] = [];
  const parsed = TlsServerOptions.parse(options);
  const config: PeerConfig = { peer: 'tls-server', name: 'tls', port: 0, options: parsed };
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const io: PeerIo = {
    say: (line) => lines.push(line.code),
    report: (event, fields = {}) => {
      reports.push({ event, ...fields });
      if (event === 'listening') listening();
    },
  };
  const go = Promise.resolve<PeerGo>({ seed: 7, lang: 'en' });
  // Port 0: the test asks the kernel for a free port, then reads it back.
  const server = startTlsServer(config, io, go, pki.leaves[parsed.certificate]);
  servers.push(server);
  await ready;
  const { port } = server.address() as net.AddressInfo;
  return { port, reports, lines };
}

/** Until `predicate` holds over the reports (or 3 s pass). */
async function until(reports: Report[], predicate: (r: Report[]) => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!predicate(reports) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

const PYTHON_CLIENT = `
import socket, ssl, sys
port, mode = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=sys.argv[3])
if mode == 'no-verify':
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
with socket.create_connection(('127.0.0.1', port)) as raw:
    try:
        with ctx.wrap_socket(raw, server_hostname='localhost') as s:
            s.sendall(b'LOGIN secret\\n')
            chunks = []
            while (chunk := s.recv(4096)):
                chunks.append(chunk)
            print(len(chunks), b''.join(chunks).decode())
    except ssl.SSLCertVerificationError as error:
        print('refused', error.verify_message)
`;

/** Runs the Python client the lesson teaches against `port`: its stdout. */
async function python(port: number, mode: 'verify' | 'no-verify'): Promise<string> {
  const run = promisify(execFile);
  const args = ['-c', PYTHON_CLIENT, String(port), mode, path.join(dir, 'ca.pem')];
  const { stdout } = await run('python3', args, { timeout: 5000 });
  return stdout.trim();
}

describe('tls-server', () => {
  it('reports the handshake with its SNI, then replies in several records after the request', async () => {
    const { port, reports } = await startServer({ reply: '{token} {zh}\n', chunkBytes: 4 });
    const out = await python(port, 'verify');
    await until(reports, (r) => r.some((x) => x.event === 'closed'));
    const handshake = reports.find((r) => r.event === 'handshake');
    expect(handshake).toMatchObject({ sni: 'localhost', protocol: 'TLSv1.3' });
    expect(String(handshake?.cipher)).toMatch(/^TLS_/);
    const received = reports.filter((r) => r.event === 'received').map((r) => r.data);
    expect(received.join('')).toBe('LOGIN secret\n');
    const sent = String(reports.find((r) => r.event === 'sent')?.data);
    expect(sent).toMatch(/^[a-z0-9]{8} \S+\n$/);
    // One recv() returns one TLS record: 4 bytes at a time gives several chunks.
    const [chunks, ...text] = out.split(' ');
    expect(Number(chunks)).toBeGreaterThan(3);
    expect(`${text.join(' ')}\n`).toBe(sent);
  });

  it('sees a client refuse the wrong-host certificate with the bad_certificate alert', async () => {
    const { port, reports } = await startServer({ certificate: 'wrong-host' });
    expect(await python(port, 'verify')).toContain('refused Hostname mismatch');
    await until(reports, (r) => r.some((x) => x.event === 'handshake-failed'));
    const failed = reports.find((r) => r.event === 'handshake-failed');
    expect(failed).toMatchObject({ reason: 'alert', alert: 'bad_certificate', sni: 'localhost' });
    // Named by the address its connection came from, though its TLS socket is gone.
    expect(failed?.from).toBe(reports.find((r) => r.event === 'connection')?.from);
    expect(reports.some((r) => r.event === 'received')).toBe(false);
  });

  it('sees a client refuse the untrusted certificate with the unknown_ca alert', async () => {
    const { port, reports } = await startServer({ certificate: 'untrusted' });
    expect(await python(port, 'verify')).toContain('refused unable to get local issuer');
    await until(reports, (r) => r.some((x) => x.event === 'handshake-failed'));
    expect(reports.find((r) => r.event === 'handshake-failed')).toMatchObject({
      reason: 'alert',
      alert: 'unknown_ca',
    });
  });

  it('gets the secret from a client that verifies nothing', async () => {
    const { port, reports } = await startServer({ certificate: 'untrusted' });
    await python(port, 'no-verify');
    await until(reports, (r) => r.some((x) => x.event === 'received'));
    expect(reports.some((r) => r.event === 'handshake')).toBe(true);
    expect(reports.find((r) => r.event === 'received')?.data).toBe('LOGIN secret\n');
  });

  it('tells plain text from TLS, and quotes what came in clear', async () => {
    const { port, reports } = await startServer({});
    // A ClientHello after the line, in the same write, is not quoted as what came in clear.
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(Buffer.concat([Buffer.from('LOGIN secret\n'), Buffer.from([0x16, 3, 1, 0])])),
    );
    await until(reports, (r) => r.some((x) => x.event === 'handshake-failed'));
    socket.destroy();
    expect(reports.find((r) => r.event === 'handshake-failed')).toMatchObject({
      reason: 'not-tls',
      data: 'LOGIN secret\n',
    });
  });

  it('tells a client that closed before any ClientHello', async () => {
    const { port, reports } = await startServer({});
    const socket = net.connect(port, '127.0.0.1', () => socket.end());
    await until(reports, (r) => r.some((x) => x.event === 'handshake-failed'));
    expect(reports.find((r) => r.event === 'handshake-failed')).toMatchObject({
      reason: 'no-client-hello',
    });
  });

  it('replies at once without waitForRequest, and reports a missing SNI as null', async () => {
    const { port, reports } = await startServer({ waitForRequest: false, reply: 'hi {word}\n' });
    const text = await new Promise<string>((resolve, reject) => {
      let got = '';
      const socket = tls.connect({
        port,
        host: '127.0.0.1',
        ca: pki.caCert,
        checkServerIdentity: () => undefined,
      });
      socket.on('data', (chunk: Buffer) => (got += chunk.toString()));
      socket.on('end', () => resolve(got));
      socket.on('error', reject);
    });
    expect(text).toMatch(/^hi [a-z]+\n$/);
    await until(reports, (r) => r.some((x) => x.event === 'handshake'));
    expect(reports.find((r) => r.event === 'handshake')?.sni).toBeNull();
  });
});

describe('alertOf', () => {
  it('names the alert in an OpenSSL error, and nothing without one', () => {
    const error = new Error(
      'error:0A000418:SSL routines::tlsv1 alert unknown ca:…:SSL alert number 48',
    );
    expect(alertOf(error)).toEqual({ number: 48, name: 'unknown_ca' });
    expect(alertOf(new Error('socket hang up'))).toBeNull();
  });
});
