/**
 * tcp-client: connects to the learner's server on 127.0.0.1:PORT (retrying briefly: the server
 * may need a moment), sends each configured line, checks that exactly that line comes back,
 * then closes its side and expects the server to close too. Exit status 0 means all was well.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { PeerLine } from '../../lib/notices/peer-lines.ts';
import type { PeerConfig, TcpClientOptions } from './config.ts';
import { PEER_HOST } from './listen.ts';
import { quote, type PeerIo } from './peer-io.ts';
import { StreamReader } from './stream-reader.ts';

const RETRY_MS = 50;
/** How long the client waits for the server to close its side too. */
const CLOSE_WAIT_MS = 2000;

/** Runs the client once and sets the exit status. */
export async function runTcpClient(config: PeerConfig, io: PeerIo): Promise<void> {
  const options = config.options as unknown as TcpClientOptions;
  const socket = await connectWithRetry(config.port, options.connectTimeoutMs, io);
  const address = `${PEER_HOST}:${config.port}`;
  if (!socket) {
    const seconds = options.connectTimeoutMs / 1000;
    io.say({ code: 'peer-connect-timeout', params: { address, seconds, port: config.port } });
    io.report('connect-failed', { port: config.port });
    process.exitCode = 1;
    return;
  }
  io.say({ code: 'peer-connected', params: { address } });
  io.report('connected', { port: config.port });
  const reader = new StreamReader(socket);
  const echoed = await exchangeLines(socket, reader, options, io);
  const clean = await closeCleanly(socket, reader, io);
  io.report('done', { ok: echoed && clean });
  process.exitCode = echoed && clean ? 0 : 1;
}

async function connectWithRetry(
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

async function exchangeLines(
  socket: net.Socket,
  reader: StreamReader,
  options: TcpClientOptions,
  io: PeerIo,
): Promise<boolean> {
  for (const line of options.lines) {
    const payload = Buffer.from(`${line}\n`, 'utf8');
    socket.write(payload);
    io.say({ code: 'peer-sent', params: { data: quote(payload.toString('utf8')) } });
    io.report('sent', { data: payload.toString('utf8') });
    const got = await reader.read(payload.length, options.replyTimeoutMs);
    const ok = got.equals(payload);
    io.report('echo', { data: payload.toString('utf8'), got: got.toString('utf8'), ok });
    if (ok) {
      io.say({ code: 'peer-echo-ok', params: { data: quote(got.toString('utf8')) } });
      continue;
    }
    io.say(describeMismatch(payload, got, options.replyTimeoutMs));
    return false;
  }
  return true;
}

function describeMismatch(sent: Buffer, got: Buffer, timeoutMs: number): PeerLine {
  const expected = quote(sent.toString('utf8'));
  if (got.length === 0)
    return { code: 'peer-echo-missing', params: { expected, seconds: timeoutMs / 1000 } };
  return { code: 'peer-echo-wrong', params: { expected, got: quote(got.toString('utf8')) } };
}

async function closeCleanly(
  socket: net.Socket,
  reader: StreamReader,
  io: PeerIo,
): Promise<boolean> {
  io.say({ code: 'peer-closing', params: {} });
  socket.end();
  const { state, extra } = await reader.closed(CLOSE_WAIT_MS);
  socket.destroy();
  const clean = state === 'closed' && extra.length === 0;
  io.report('closed', { clean, state });
  if (state === 'open')
    io.say({ code: 'peer-server-kept-open', params: { seconds: CLOSE_WAIT_MS / 1000 } });
  else if (state === 'reset') io.say({ code: 'peer-server-reset', params: {} });
  else if (extra.length > 0)
    io.say({ code: 'peer-server-extra', params: { data: quote(extra.toString('utf8')) } });
  else io.say({ code: 'peer-clean-close', params: {} });
  return clean;
}
