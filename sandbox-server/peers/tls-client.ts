/**
 * tls-client: tests the learner's TLS server on 127.0.0.1:PORT. It connects (retrying briefly),
 * runs a TLS handshake that trusts only the run's CA and asks for `localhost` (SNI and the
 * name checked), then sends its lines one at a time, each waiting for exactly its echo, and
 * closes. It reports how the handshake went — done (protocol, cipher), or failed with Node's
 * error code, which tells a server speaking plain text from one presenting no certificate or
 * the wrong one — and each echo. Exit status 0 means all was well.
 */
import { readFileSync } from 'node:fs';
import type net from 'node:net';
import tls from 'node:tls';
import type { PeerConfig, PeerGo, TlsClientOptions } from './config.ts';
import { PEER_HOST } from './listen.ts';
import { expanderOf } from './payload.ts';
import { quote, type PeerIo } from './peer-io.ts';
import { StreamReader } from './stream-reader.ts';
import { connectWithRetry } from './tcp-client.ts';
import { alertOf, TLS_PEER_DIR } from './tls-server.ts';

/** The host name the client asks for and checks the certificate against. */
const SERVER_NAME = 'localhost';

/** Runs the client with the run's CA the host put in its sandbox, and sets the exit status. */
export async function runTlsClient(
  config: PeerConfig,
  io: PeerIo,
  go: Promise<PeerGo>,
): Promise<void> {
  const ca = readFileSync(`${TLS_PEER_DIR}/ca.pem`, 'utf8');
  const ok = await testServer(config, io, go, ca);
  io.report('done', { ok });
  process.exitCode = ok ? 0 : 1;
}

/** Connects to the server, shakes hands trusting only `ca`, exchanges the lines; true if all went well. */
export async function testServer(
  config: PeerConfig,
  io: PeerIo,
  go: Promise<PeerGo>,
  ca: string,
): Promise<boolean> {
  const options = config.options as unknown as TlsClientOptions;
  const expand = await expanderOf(go);
  const address = `${PEER_HOST}:${config.port}`;
  const raw = await connectWithRetry(config.port, options.connectTimeoutMs, io);
  if (!raw) {
    const seconds = options.connectTimeoutMs / 1000;
    io.say({ code: 'peer-connect-timeout', params: { address, seconds, port: config.port } });
    io.report('connect-failed', { port: config.port });
    return false;
  }
  io.say({ code: 'peer-connected', params: { address } });
  io.report('connected', { port: config.port });
  const socket = await handshake(raw, ca, options.replyTimeoutMs, io);
  if (!socket) return false;
  const lines = options.lines.map((line) => `${expand(line)}\n`);
  const echoed = await exchangeLines(socket, lines, options.replyTimeoutMs, io);
  socket.end();
  io.report('closed', {});
  return echoed;
}

/** The TLS socket once its handshake is done, or null (reported) when it failed or stalled. */
function handshake(
  raw: net.Socket,
  ca: string,
  timeoutMs: number,
  io: PeerIo,
): Promise<tls.TLSSocket | null> {
  return new Promise((resolve) => {
    const socket = tls.connect({ socket: raw, ca, servername: SERVER_NAME });
    const timer = setTimeout(() => failed({ code: 'TIMEOUT', message: 'no answer' }), timeoutMs);
    const failed = (error: { code?: string; message: string }): void => {
      clearTimeout(timer);
      socket.destroy();
      const code = error.code ?? 'ERROR';
      // OpenSSL's messages run to a source path on one line and a blank one: keep what it says.
      const alert = alertOf(error as Error);
      const said = alert
        ? `the server sent the TLS alert ${alert.name}`
        : firstWords(error.message);
      io.say({ code: 'peer-tls-client-failed', params: { error: `${code}: ${said}` } });
      io.report('handshake-failed', { error: code, alert: alert?.name ?? null, message: said });
      resolve(null);
    };
    socket.once('error', failed);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.removeListener('error', failed);
      const protocol = socket.getProtocol() ?? 'unknown';
      const cipher = socket.getCipher()?.name ?? 'unknown';
      io.say({ code: 'peer-tls-client-done', params: { protocol, cipher } });
      io.report('handshake', { protocol, cipher, sni: SERVER_NAME });
      resolve(socket);
    });
  });
}

/** Each line in turn, waiting for exactly its echo; false at the first that does not come. */
async function exchangeLines(
  socket: tls.TLSSocket,
  lines: string[],
  timeoutMs: number,
  io: PeerIo,
): Promise<boolean> {
  const reader = new StreamReader(socket);
  for (const line of lines) {
    socket.write(line);
    io.say({ code: 'peer-sent', params: { data: quote(line) } });
    io.report('sent', { data: line });
    const payload = Buffer.from(line, 'utf8');
    const got = await reader.read(payload.length, timeoutMs);
    const gotText = got.toString('utf8');
    if (got.length > 0) io.report('received', { data: gotText });
    if (got.equals(payload)) {
      io.report('reply-matched', { data: gotText });
      io.say({ code: 'peer-echo-ok', params: { data: quote(gotText) } });
      continue;
    }
    io.report('reply-mismatch', { expected: line, got: gotText });
    const expected = quote(line);
    io.say(
      got.length === 0
        ? { code: 'peer-echo-missing', params: { expected, seconds: timeoutMs / 1000 } }
        : { code: 'peer-echo-wrong', params: { expected, got: quote(gotText) } },
    );
    return false;
  }
  return true;
}

/** An error message without OpenSSL's location suffix ("…:unexpected message:../deps/…"). */
export function firstWords(message: string): string {
  const line = message.split('\n')[0]!.trim();
  const openssl = /^[0-9A-F]+:error:[0-9A-F]+:SSL routines:[^:]*:([^:]+)/.exec(line);
  return openssl ? openssl[1]! : line;
}
