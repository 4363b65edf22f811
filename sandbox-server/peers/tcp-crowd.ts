/**
 * tcp-crowd: many clients at once against the learner's server on 127.0.0.1:PORT. It waits
 * until the server accepts a connection (retrying briefly), opens `stalled` connections that send
 * the start of a line and then nothing (a slow client: slowloris), then all `connections` normal
 * ones at once, each sending its lines and waiting for each echo. A server that serves one
 * client at a time answers nobody while the first stalled client holds it; a threaded or
 * selectors-based one answers everybody. Exit status 0 when every normal connection was served.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { PeerConfig, PeerGo, TcpCrowdOptions } from './config.ts';
import { bulkLineOf, bulkPreview, readBulk, writeBulk, type BulkLine } from './crowd-bulk.ts';
import { CrowdLog } from './crowd-log.ts';
import { PEER_HOST } from './listen.ts';
import { expanderOf } from './payload.ts';
import { quote, type PeerIo } from './peer-io.ts';
import { StreamReader } from './stream-reader.ts';
import { connectWithRetry } from './tcp-client.ts';

/** How long the crowd retries its first connection while the server is not listening yet. */
const FIRST_CONNECT_MS = 3000;
/** Bytes a stalled connection sends: the start of a line, never its end. */
const STALL_BYTES = 3;
/**
 * Most bytes buffered per connection (its echoes are at most a few KiB): 220 connections stay
 * within the peers' memory limit whatever a server floods them with.
 */
const BUFFER_BYTES = 64 * 1024;
/** Most bytes a stalled connection reports receiving; more are read and dropped. */
const STALLED_REPORTED_BYTES = 1024;

/** One crowd's shared context. */
interface Crowd {
  port: number;
  options: TcpCrowdOptions;
  log: CrowdLog;
  /** The line the last normal connection ends with, when `bulkBytes` asks for one. */
  bulk: BulkLine | null;
}

/** A stalled connection, open until the server closes it or the crowd ends. */
interface Stalled {
  connection: number;
  socket: net.Socket;
  open: boolean;
  /** The start of a line it sent. */
  sent: string;
}

/** Runs the crowd and sets the exit status. */
export async function runTcpCrowd(
  config: PeerConfig,
  io: PeerIo,
  go: Promise<PeerGo>,
): Promise<void> {
  const options = config.options as unknown as TcpCrowdOptions;
  const expand = await expanderOf(go);
  const log = new CrowdLog(io, options);
  // Drawn before any connection opens, in connection order: the same seed sends the same text
  // on the same connection, however the connections interleave.
  const texts = Array.from({ length: options.stalled + options.connections }, () =>
    options.lines.map((line) => `${expand(line)}\n`),
  );
  const bulk = options.bulkBytes > 0 ? bulkLineOf(expand, options.bulkBytes) : null;
  const crowd: Crowd = { port: config.port, options, log, bulk };
  const first = await connectWithRetry(config.port, FIRST_CONNECT_MS, io);
  if (!first) {
    const seconds = FIRST_CONNECT_MS / 1000;
    const address = `${PEER_HOST}:${config.port}`;
    log.say({ code: 'peer-connect-timeout', params: { address, seconds, port: config.port } });
    log.report('connect-failed', 1, { error: 'not listening' });
  } else {
    const stalled = await openStalled(crowd, first, texts);
    await runNormals(crowd, options.stalled === 0 ? first : null, texts.slice(options.stalled));
    closeStalled(crowd, stalled);
  }
  process.exitCode = log.finish().ok ? 0 : 1;
}

/** Opens the stalled connections one after another, the first being `first`. */
async function openStalled(crowd: Crowd, first: net.Socket, texts: string[][]): Promise<Stalled[]> {
  const { options, log } = crowd;
  const stalled: Stalled[] = [];
  for (let connection = 1; connection <= options.stalled; connection++) {
    if (connection > 1) await pause(options.startGapMs);
    const socket = connection === 1 ? first : await openConnection(crowd, connection);
    if (socket) stalled.push(stall(crowd, connection, socket, texts[connection - 1]![0]!));
  }
  if (stalled.length > 0) {
    const data = quote(stalled[0]!.sent);
    log.say({ code: 'peer-crowd-stalled', params: { count: stalled.length, data } });
  }
  return stalled;
}

/** Sends the first bytes of `line` and then nothing; notes if the server gives up on it. */
function stall(crowd: Crowd, connection: number, socket: net.Socket, line: string): Stalled {
  const { log } = crowd;
  const start = Buffer.from(line, 'utf8').subarray(0, STALL_BYTES);
  const entry: Stalled = { connection, socket, open: true, sent: start.toString('utf8') };
  log.report('connected', connection, { stalled: true });
  socket.write(start);
  log.report('sent', connection, { data: entry.sent });
  const began = log.now();
  let reported = 0;
  socket.on('data', (chunk: Buffer) => {
    if (reported >= STALLED_REPORTED_BYTES) return;
    const shown = chunk.subarray(0, STALLED_REPORTED_BYTES - reported);
    reported += shown.length;
    log.report('received', connection, { data: shown.toString('utf8') });
  });
  const ended = (state: 'closed' | 'reset') => {
    if (!entry.open) return;
    entry.open = false;
    socket.destroy();
    log.report('closed', connection, { clean: state === 'closed', state, by: 'server' });
    const seconds = (log.now() - began) / 1000;
    const params = { connection, seconds, reset: state === 'reset' };
    log.say({ code: 'peer-crowd-stalled-closed', params });
  };
  socket.on('end', () => ended('closed'));
  socket.on('error', () => ended('reset'));
  socket.on('close', () => ended('closed'));
  return entry;
}

/** Closes the stalled connections still open: the crowd is over. */
function closeStalled(crowd: Crowd, stalled: Stalled[]): void {
  const open = stalled.filter((entry) => entry.open);
  if (open.length === 0) return;
  crowd.log.say({ code: 'peer-crowd-closing-stalled', params: { count: open.length } });
  for (const entry of open) {
    entry.open = false;
    entry.socket.destroy();
    crowd.log.report('closed', entry.connection, { clean: true, state: 'open', by: 'crowd' });
  }
}

/**
 * Starts every normal connection (`startGapMs` apart) and waits for all of them. With a bulk
 * line the last one starts only when the others are over: its MiBs fill the run's packet
 * capture, which must first have seen how the others closed.
 */
async function runNormals(
  crowd: Crowd,
  first: net.Socket | null,
  texts: string[][],
): Promise<void> {
  const { options, log } = crowd;
  const params = { count: options.connections, lines: options.lines.length };
  log.say({ code: 'peer-crowd-opening', params: { ...params, gapMs: options.startGapMs } });
  const together = crowd.bulk ? options.connections - 1 : options.connections;
  const running: Array<Promise<void>> = [];
  const start = async (index: number, bulk: BulkLine | null) => {
    if (index > 0 || options.stalled > 0) await pause(options.startGapMs);
    const connection = options.stalled + index + 1;
    const given = index === 0 ? first : null;
    running.push(runNormal(crowd, connection, given, texts[index]!, bulk));
  };
  for (let index = 0; index < together; index++) await start(index, null);
  await Promise.all(running);
  if (crowd.bulk) {
    await start(together, crowd.bulk);
    await running.at(-1);
  }
}

/** One normal connection: connect, each line and its echo (then `bulk`'s), then the close. */
async function runNormal(
  crowd: Crowd,
  connection: number,
  given: net.Socket | null,
  lines: string[],
  bulk: BulkLine | null,
): Promise<void> {
  const socket = given ?? (await openConnection(crowd, connection));
  if (!socket) return crowd.log.ended(false);
  crowd.log.report('connected', connection, { stalled: false });
  const reader = new StreamReader(socket, BUFFER_BYTES);
  const exchange = { crowd, connection, socket, reader };
  const served =
    (await exchangeLines(exchange, lines)) &&
    (bulk === null || (await exchangeBulk(exchange, bulk))) &&
    (await closeNormal(exchange));
  socket.destroy();
  crowd.log.ended(served);
}

/** A connection in use. */
interface Exchange {
  crowd: Crowd;
  connection: number;
  socket: net.Socket;
  reader: StreamReader;
}

/** Sends each line and waits for exactly its echo; false (and the close reported) if one fails. */
async function exchangeLines(exchange: Exchange, lines: string[]): Promise<boolean> {
  const { crowd, connection, socket, reader } = exchange;
  const { log, options } = crowd;
  for (const line of lines) {
    socket.write(line);
    log.report('sent', connection, { data: line });
    const payload = Buffer.from(line, 'utf8');
    const got = await reader.read(payload.length, options.replyTimeoutMs);
    const gotText = got.toString('utf8');
    if (got.length > 0) log.report('received', connection, { data: gotText });
    if (got.equals(payload)) {
      log.report('reply-matched', connection, { data: gotText });
      continue;
    }
    await replyFailed(exchange, line, got);
    return false;
  }
  return true;
}

/** Sends the bulk line whole, then reads its echo; false (and the close reported) if it fails. */
async function exchangeBulk(exchange: Exchange, bulk: BulkLine): Promise<boolean> {
  const { crowd, connection, socket, reader } = exchange;
  const { log, options } = crowd;
  const expected = bulkPreview(bulk);
  await writeBulk(socket, bulk, options.replyTimeoutMs);
  log.report('sent', connection, { data: expected, bytes: bulk.bytes });
  const echo = await readBulk(reader, bulk, options.replyTimeoutMs);
  const fields = { bytes: echo.got, matchedBytes: echo.matched, expectedBytes: bulk.bytes };
  if (echo.got > 0) log.report('received', connection, { data: `${echo.preview}…`, ...fields });
  if (echo.matched === bulk.bytes) {
    log.report('reply-matched', connection, { data: expected, bytes: bulk.bytes });
    return true;
  }
  const { state } = await reader.closed(0);
  log.report('reply-mismatch', connection, { expected, got: `${echo.preview}…`, ...fields });
  const params = { got: echo.got, expected: bulk.bytes, matched: echo.matched };
  log.failed(connection, { code: 'peer-echo-short', params });
  const by = state === 'open' ? 'crowd' : 'server';
  log.report('closed', connection, { clean: false, state, by });
  return false;
}

/** Reports and says why the echo of `line` did not come, then how the connection ended. */
async function replyFailed(exchange: Exchange, line: string, got: Buffer): Promise<void> {
  const { crowd, connection, reader } = exchange;
  const { log, options } = crowd;
  const seconds = options.replyTimeoutMs / 1000;
  const { state } = await reader.closed(0);
  const expected = quote(line);
  if (got.length > 0) {
    log.report('reply-mismatch', connection, { expected: line, got: got.toString('utf8') });
    const params = { expected, got: quote(got.toString('utf8')) };
    log.failed(connection, { code: 'peer-echo-wrong', params });
  } else if (state === 'open') {
    log.report('timeout', connection, { phase: 'reply', seconds });
    log.failed(connection, { code: 'peer-echo-missing', params: { expected, seconds } });
  } else {
    const params = { expected, reset: state === 'reset' };
    log.failed(connection, { code: 'peer-crowd-closed-early', params });
  }
  const by = state === 'open' ? 'crowd' : 'server';
  log.report('closed', connection, { clean: false, state, by });
}

/**
 * Ends a connection whose every echo came. With halfClose, shuts down the sending side and
 * waits for the server to close its side too; else closes it. Extra bytes are a failure.
 */
async function closeNormal(exchange: Exchange): Promise<boolean> {
  const { crowd, connection, socket, reader } = exchange;
  const { log, options } = crowd;
  if (options.halfClose) socket.end();
  const wait = options.halfClose ? options.replyTimeoutMs : 0;
  const { state, extra } = await reader.closed(wait);
  const seconds = wait / 1000;
  if (extra.length > 0) {
    const data = extra.toString('utf8');
    log.report('received', connection, { data });
    log.failed(connection, { code: 'peer-server-extra', params: { data: quote(data) } });
  } else if (options.halfClose && state === 'open') {
    log.report('timeout', connection, { phase: 'close', seconds });
    log.failed(connection, { code: 'peer-server-kept-open', params: { seconds } });
  } else if (state === 'reset') log.failed(connection, { code: 'peer-server-reset', params: {} });
  const clean = extra.length === 0 && state !== 'reset' && !(options.halfClose && state === 'open');
  const by = options.halfClose && state !== 'open' ? 'server' : 'crowd';
  log.report('closed', connection, { clean, state, by });
  return clean;
}

/** Waits `ms` between two openings; none at all for 0, so "at once" is one burst. */
async function pause(ms: number): Promise<void> {
  if (ms > 0) await delay(ms);
}

/** Opens one more connection; on failure reports and says why and returns null. */
async function openConnection(crowd: Crowd, connection: number): Promise<net.Socket | null> {
  const { log, options, port } = crowd;
  const result = await connectWithin(port, options.replyTimeoutMs);
  if (result instanceof net.Socket) return result;
  if (result.error === null) {
    const seconds = options.replyTimeoutMs / 1000;
    log.report('timeout', connection, { phase: 'connect', seconds });
    log.failed(connection, { code: 'peer-crowd-connect-slow', params: { seconds } });
  } else {
    log.report('connect-failed', connection, { error: result.error });
    log.failed(connection, { code: 'peer-crowd-connect-failed', params: { error: result.error } });
  }
  return null;
}

/** A connected socket, or why not: `error` null when `timeoutMs` passed first. */
function connectWithin(
  port: number,
  timeoutMs: number,
): Promise<net.Socket | { error: string | null }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, PEER_HOST);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ error: null });
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ error: error.message });
    });
  });
}
