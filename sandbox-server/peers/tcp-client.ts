/**
 * tcp-client: connects to the learner's server on 127.0.0.1:PORT (retrying briefly: the server
 * may need a moment), `connections` times one after another. On each connection it sends the
 * configured lines (placeholders drawn from the seed) and checks that exactly they come back:
 * line by line, then closing its side and expecting the server to close too; or, with
 * `halfClose`, all at once, then shutdown(SHUT_WR) and reading the reply until EOF; or, with
 * `abort`, sending them and then resetting the connection, as a client that crashed would. Exit
 * status 0 means all was well.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { PeerLine } from '../../lib/notices/peer-lines.ts';
import type { PeerConfig, PeerGo, TcpClientOptions } from './config.ts';
import { PEER_HOST } from './listen.ts';
import { expanderOf } from './payload.ts';
import { quote, type PeerIo } from './peer-io.ts';
import { MAX_BUFFERED_BYTES, StreamReader } from './stream-reader.ts';

const RETRY_MS = 50;
/** How long an aborting client waits after its lines, so the server is reading when the RST comes. */
const ABORT_AFTER_MS = 100;
/** How long the client waits for the server to close its side too. */
const CLOSE_WAIT_MS = 2000;

/** One connection's context: what every report and line of it needs. */
interface Exchange {
  socket: net.Socket;
  reader: StreamReader;
  options: TcpClientOptions;
  io: PeerIo;
  /** 1-based number of the connection, in every report. */
  connection: number;
}

/** Runs the client's connections one after another and sets the exit status. */
export async function runTcpClient(
  config: PeerConfig,
  io: PeerIo,
  go: Promise<PeerGo>,
): Promise<void> {
  const options = config.options as unknown as TcpClientOptions;
  const expand = await expanderOf(go);
  let ok = true;
  for (let connection = 1; ok && connection <= options.connections; connection++) {
    if (options.connections > 1) {
      const params = { number: connection, count: options.connections };
      io.say({ code: 'peer-connection-number', params });
    }
    const lines = options.lines.map((line) => `${expand(line)}\n`);
    ok = await runConnection(config.port, lines, options, io, connection);
  }
  io.report('done', { ok });
  process.exitCode = ok ? 0 : 1;
}

/** Connects, exchanges `lines` and closes; true when all went as expected. */
async function runConnection(
  port: number,
  lines: string[],
  options: TcpClientOptions,
  io: PeerIo,
  connection: number,
): Promise<boolean> {
  const socket = await connectWithRetry(port, options.connectTimeoutMs, io);
  const address = `${PEER_HOST}:${port}`;
  if (!socket) {
    const seconds = options.connectTimeoutMs / 1000;
    io.say({ code: 'peer-connect-timeout', params: { address, seconds, port } });
    io.report('connect-failed', { port, connection });
    return false;
  }
  io.say({ code: 'peer-connected', params: { address } });
  io.report('connected', { port, connection });
  const exchange = { socket, reader: new StreamReader(socket), options, io, connection };
  if (options.abort) return abortAfterSending(exchange, lines);
  if (options.halfClose) return exchangeHalfClosed(exchange, lines);
  const echoed = await exchangeLines(exchange, lines);
  const clean = await closeCleanly(exchange);
  return echoed && clean;
}

/** Connects to the server, retrying for `timeoutMs` while it refuses (it may not listen yet). */
export async function connectWithRetry(
  port: number,
  timeoutMs: number,
  io: PeerIo,
): Promise<net.Socket | null> {
  const deadline = Date.now() + timeoutMs;
  let said = false;
  while (Date.now() < deadline) {
    const result = await tryConnect(port);
    if (result instanceof net.Socket) return result;
    if (!said) {
      const params = { address: `${PEER_HOST}:${port}`, ...result, seconds: timeoutMs / 1000 };
      io.say({ code: 'peer-connect-retrying', params });
    }
    said = true;
    await delay(RETRY_MS);
  }
  return null;
}

/** The socket, or why there is none (a refusal: nothing listens there yet). */
function tryConnect(port: number): Promise<net.Socket | { refused: boolean; error: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, PEER_HOST);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve({ refused: error.code === 'ECONNREFUSED', error: error.message });
    });
  });
}

/** Sends `text` and says and reports so. */
function send(exchange: Exchange, text: string): void {
  const { socket, io, connection } = exchange;
  socket.write(text);
  io.say({ code: 'peer-sent', params: { data: quote(text) } });
  io.report('sent', { data: text, connection });
}

/** Each line in turn, waiting for exactly its echo; false at the first that does not come. */
async function exchangeLines(exchange: Exchange, lines: string[]): Promise<boolean> {
  const { reader, options, io, connection } = exchange;
  for (const line of lines) {
    send(exchange, line);
    const payload = Buffer.from(line, 'utf8');
    const got = await reader.read(payload.length, options.replyTimeoutMs);
    const ok = got.equals(payload);
    const gotText = got.toString('utf8');
    if (got.length > 0) io.report('received', { data: gotText, connection });
    io.report('echo', { data: line, got: gotText, ok, connection });
    reportMatch(exchange, line, gotText, ok);
    if (ok) {
      io.say({ code: 'peer-echo-ok', params: { data: quote(gotText) } });
      continue;
    }
    io.say(describeMismatch(payload, got, options.replyTimeoutMs));
    return false;
  }
  return true;
}

function reportMatch(exchange: Exchange, expected: string, got: string, ok: boolean): void {
  const { io, connection } = exchange;
  if (ok) io.report('reply-matched', { data: got, connection });
  else io.report('reply-mismatch', { expected, got, connection });
}

function describeMismatch(sent: Buffer, got: Buffer, timeoutMs: number): PeerLine {
  const expected = quote(sent.toString('utf8'));
  if (got.length === 0)
    return { code: 'peer-echo-missing', params: { expected, seconds: timeoutMs / 1000 } };
  return { code: 'peer-echo-wrong', params: { expected, got: quote(got.toString('utf8')) } };
}

async function closeCleanly(exchange: Exchange): Promise<boolean> {
  const { socket, reader, io, connection } = exchange;
  io.say({ code: 'peer-closing', params: {} });
  socket.end();
  const { state, extra } = await reader.closed(CLOSE_WAIT_MS);
  socket.destroy();
  const clean = state === 'closed' && extra.length === 0;
  if (extra.length > 0) io.report('received', { data: extra.toString('utf8'), connection });
  io.report('closed', { clean, state, connection });
  if (state === 'open')
    io.say({ code: 'peer-server-kept-open', params: { seconds: CLOSE_WAIT_MS / 1000 } });
  else if (state === 'reset') io.say({ code: 'peer-server-reset', params: {} });
  else if (extra.length > 0)
    io.say({ code: 'peer-server-extra', params: { data: quote(extra.toString('utf8')) } });
  else io.say({ code: 'peer-clean-close', params: {} });
  return clean;
}

/** Sends every line, waits a moment, then resets the connection (SO_LINGER 0: an RST, no FIN). */
async function abortAfterSending(exchange: Exchange, lines: string[]): Promise<boolean> {
  const { socket, io, connection } = exchange;
  for (const line of lines) send(exchange, line);
  await new Promise((resolve) => socket.write('', resolve));
  await delay(ABORT_AFTER_MS);
  socket.resetAndDestroy();
  io.say({ code: 'peer-aborted', params: {} });
  io.report('aborted', { connection });
  return true;
}

/**
 * All lines at once, then shutdown(SHUT_WR) (a FIN: "my request is complete"), then the reply
 * read until the server closes; it must be exactly what was sent.
 */
async function exchangeHalfClosed(exchange: Exchange, lines: string[]): Promise<boolean> {
  const { socket, reader, options, io, connection } = exchange;
  for (const line of lines) send(exchange, line);
  socket.end();
  io.say({ code: 'peer-half-closed', params: {} });
  const { state, extra, full } = await reader.closed(options.replyTimeoutMs);
  socket.destroy();
  const expected = lines.join('');
  const got = extra.toString('utf8');
  if (got.length > 0) io.report('received', { data: got, connection });
  const matched = state === 'closed' && got === expected;
  reportMatch(exchange, expected, got, matched);
  io.report('closed', { clean: state === 'closed', state, connection });
  io.say(describeReply(expected, got, { state, full, seconds: options.replyTimeoutMs / 1000 }));
  return matched;
}

function describeReply(
  expected: string,
  got: string,
  end: { state: string; full: boolean; seconds: number },
): PeerLine {
  if (end.full) return { code: 'peer-reply-too-long', params: { max: MAX_BUFFERED_BYTES } };
  if (end.state === 'reset') return { code: 'peer-server-reset', params: {} };
  if (end.state === 'open')
    return { code: 'peer-server-kept-open', params: { seconds: end.seconds } };
  if (got === expected) return { code: 'peer-reply-ok', params: { data: quote(got) } };
  return { code: 'peer-reply-wrong', params: { expected: quote(expected), got: quote(got) } };
}
