/**
 * tls-server: a TLS server (node:tls) presenting one of the run's certificates (trusted,
 * wrong-host or untrusted: sandbox-server/run/run-pki.ts), which the host put in the peer's
 * sandbox as read-only files. For every connection it reports how the handshake went — done
 * (SNI, protocol, cipher), refused by the client with a TLS alert, or never TLS at all (plain
 * text, or a close before any ClientHello) — then, once a request line came (`waitForRequest`),
 * sends its templated reply, `chunkBytes` at a time (each write its own TLS record), and closes.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as delay } from 'node:timers/promises';
import tls from 'node:tls';
import type { PeerConfig, PeerGo, TlsServerOptions } from './config.ts';
import { listenOrExit, trackConnection } from './listen.ts';
import { expanderOf, type Expand } from './payload.ts';
import { TLS_ALERTS } from '../../lib/packets/tls-records.ts';
import { quote, type PeerIo } from './peer-io.ts';

/** Where the host puts the certificate and key this peer presents (read-only in its sandbox). */
export const TLS_PEER_DIR = '/peer/tls';
/** The most a client may send over one connection before the server gives up on it. */
export const MAX_TLS_RECEIVED_BYTES = 64 * 1024;
/** The most plain text quoted in a report when a client did not speak TLS. */
const MAX_PLAINTEXT_SHOWN = 1024;
/** The first byte of every TLS record carrying a handshake message (a ClientHello). */
const TLS_HANDSHAKE_RECORD = 0x16;

/** The certificate and key a tls-server presents, PEM. */
export interface TlsCredentials {
  cert: string;
  key: string;
}

/** Runs the server with the credentials the host put in its sandbox, until the run stops it. */
export function runTlsServer(config: PeerConfig, io: PeerIo, go: Promise<PeerGo>): void {
  const credentials = {
    cert: readFileSync(`${TLS_PEER_DIR}/cert.pem`, 'utf8'),
    key: readFileSync(`${TLS_PEER_DIR}/key.pem`, 'utf8'),
  };
  startTlsServer(config, io, go, credentials);
}

/** The alert a client's TLS stack sent, from Node's error for it (null: it sent none). */
export function alertOf(error: Error): { number: number; name: string } | null {
  const match = /SSL alert number (\d+)/.exec(error.message);
  if (!match) return null;
  const number = Number(match[1]);
  return { number, name: TLS_ALERTS[number] ?? `alert ${number}` };
}

/** Starts the server with `credentials`; returns the listening socket server (tests close it). */
export function startTlsServer(
  config: PeerConfig,
  io: PeerIo,
  go: Promise<PeerGo>,
  credentials: TlsCredentials,
): net.Server {
  const options = config.options as unknown as TlsServerOptions;
  const expand = expanderOf(go);
  const secure = tls.createServer({ ...credentials });
  // The client's address, by its TCP socket: a TLS socket that failed its handshake is already
  // destroyed and no longer knows it.
  const clients = new WeakMap<object, string>();
  const fromOf = (socket: tls.TLSSocket): string =>
    clients.get((socket as { _parent?: object })._parent ?? socket) ??
    `${socket.remoteAddress}:${socket.remotePort}`;
  secure.on('secureConnection', (socket) => serve(socket, fromOf(socket), options, io, expand));
  secure.on('tlsClientError', (error, socket) =>
    handshakeFailed(error, socket, fromOf(socket), io),
  );
  // A plain net server in front, so a client that never speaks TLS is seen for what it is.
  const server = net.createServer((raw) => {
    const from = trackConnection(raw, io);
    clients.set(raw, from);
    sniffFirstBytes(raw, from, io, (first) => {
      // Put the ClientHello back: the TLS socket reads what is already buffered first.
      raw.pause();
      raw.unshift(first);
      secure.emit('connection', raw);
    });
  });
  io.say({ code: 'peer-tls-presenting', params: { certificate: options.certificate } });
  listenOrExit(server, config.port, io);
  return server;
}

/** Calls `isTls` with the first bytes when they start a TLS handshake; reports anything else. */
function sniffFirstBytes(
  raw: net.Socket,
  from: string,
  io: PeerIo,
  isTls: (first: Buffer) => void,
): void {
  const onEnd = (): void => {
    io.say({ code: 'peer-tls-no-hello', params: { from } });
    io.report('handshake-failed', { from, reason: 'no-client-hello' });
  };
  raw.once('end', onEnd);
  raw.once('data', (first: Buffer) => {
    raw.removeListener('end', onEnd);
    if (first[0] === TLS_HANDSHAKE_RECORD) return isTls(first);
    // The first line is what the client meant to say; a ClientHello may follow in the same read.
    const newline = first.indexOf(0x0a);
    const end = Math.min(newline >= 0 ? newline + 1 : first.length, MAX_PLAINTEXT_SHOWN);
    const data = first.subarray(0, end).toString('utf8');
    io.say({ code: 'peer-tls-plaintext', params: { from, data: quote(data) } });
    io.report('handshake-failed', { from, reason: 'not-tls', data });
    raw.destroy();
  });
}

/** Reports a handshake the client ended (with its alert, when it sent one) or that broke. */
function handshakeFailed(error: Error, socket: tls.TLSSocket, from: string, io: PeerIo): void {
  const sni = typeof socket.servername === 'string' ? socket.servername : null;
  const alert = alertOf(error);
  if (alert) io.say({ code: 'peer-tls-alert', params: { from, alert: alert.name } });
  else io.say({ code: 'peer-tls-failed', params: { from, error: error.message.split('\n')[0]! } });
  io.report('handshake-failed', {
    from,
    reason: alert ? 'alert' : 'error',
    sni,
    alert: alert?.name ?? null,
    alertNumber: alert?.number ?? null,
    error: (error as NodeJS.ErrnoException).code ?? error.message,
  });
}

/** One connection after its handshake: report it, read the request, send the reply, close. */
function serve(
  socket: tls.TLSSocket,
  from: string,
  options: TlsServerOptions,
  io: PeerIo,
  expand: Promise<Expand>,
): void {
  const sni = typeof socket.servername === 'string' ? socket.servername : null;
  const protocol = socket.getProtocol() ?? 'unknown';
  const cipher = socket.getCipher()?.name ?? 'unknown';
  io.say({ code: 'peer-tls-handshake', params: { from, sni: sni ?? '', protocol, cipher } });
  io.report('handshake', { from, sni, protocol, cipher });
  socket.on('error', () => {}); // the raw socket's tracker already says how it ended
  let replied = false;
  const reply = (): void => {
    if (replied) return;
    replied = true;
    void expand.then((draw) => sendReply(socket, from, draw(options.reply), options, io));
  };
  readRequests(socket, from, io, options.waitForRequest ? reply : () => {});
  if (!options.waitForRequest) reply();
}

/** Reports what the client sends, in order; calls `onLine` once a whole line (or its end) came. */
function readRequests(socket: tls.TLSSocket, from: string, io: PeerIo, onLine: () => void): void {
  const decoder = new StringDecoder('utf8');
  let total = 0;
  socket.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (total > MAX_TLS_RECEIVED_BYTES) {
      io.say({ code: 'peer-request-too-long', params: { max: MAX_TLS_RECEIVED_BYTES } });
      io.report('request-too-long', { from, bytes: total });
      socket.destroy();
      return;
    }
    const text = decoder.write(chunk);
    io.report('received', { from, data: text, bytes: chunk.length });
    io.say({ code: 'peer-request', params: { data: quote(text) } });
    if (chunk.includes(0x0a)) onLine();
  });
  socket.on('end', () => {
    const rest = decoder.end();
    if (rest) io.report('received', { from, data: rest, bytes: Buffer.byteLength(rest) });
    onLine();
  });
}

/** Sends `text` `chunkBytes` at a time (each write leaves as its own TLS record), then closes. */
async function sendReply(
  socket: tls.TLSSocket,
  from: string,
  text: string,
  options: TlsServerOptions,
  io: PeerIo,
): Promise<void> {
  if (socket.destroyed || !socket.writable) return;
  io.report('sent', { from, data: text });
  const bytes = Buffer.from(text, 'utf8');
  const size = options.chunkBytes > 0 ? options.chunkBytes : bytes.length;
  for (let at = 0; at < bytes.length; at += size) {
    if (at > 0) await delay(options.chunkGapMs);
    if (socket.destroyed) return;
    socket.write(bytes.subarray(at, at + size));
  }
  // end() sends TLS close_notify before the FIN: the client's recv() returns b"" cleanly.
  socket.end(() => io.say({ code: 'peer-greeted', params: { data: quote(text) } }));
}
