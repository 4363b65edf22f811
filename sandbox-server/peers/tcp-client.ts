/**
 * tcp-client: connects to the learner's server on 127.0.0.1:PORT (retrying briefly: the server
 * may need a moment), sends each configured line, checks that exactly that line comes back,
 * then closes its side and expects the server to close too. Exit status 0 means all was well.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { PeerConfig, TcpClientOptions } from './config.ts';
import { PEER_HOST } from './listen.ts';
import { quote, type PeerIo } from './peer-io.ts';
import { StreamReader } from './stream-reader.ts';

const RETRY_MS = 50;

/** Runs the client once and sets the exit status. */
export async function runTcpClient(config: PeerConfig, io: PeerIo): Promise<void> {
  const options = config.options as unknown as TcpClientOptions;
  const socket = await connectWithRetry(config.port, options.connectTimeoutMs, io);
  if (!socket) {
    const seconds = options.connectTimeoutMs / 1000;
    io.log(
      `could not connect to ${PEER_HOST}:${config.port} within ${seconds} s: is your server listening on port ${config.port}?`,
    );
    io.report('connect-failed', { port: config.port });
    process.exitCode = 1;
    return;
  }
  io.log(`connected to ${PEER_HOST}:${config.port}`);
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
    if (!said) io.log(`${PEER_HOST}:${port}: ${result}; retrying for up to ${timeoutMs / 1000} s`);
    said = true;
    await delay(RETRY_MS);
  }
  return null;
}

function tryConnect(port: number): Promise<net.Socket | string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, PEER_HOST);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(error.code === 'ECONNREFUSED' ? 'connection refused' : error.message);
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
    io.log(`sent ${quote(payload.toString('utf8'))}`);
    io.report('sent', { data: payload.toString('utf8') });
    const got = await reader.read(payload.length, options.replyTimeoutMs);
    const ok = got.equals(payload);
    io.report('echo', { data: payload.toString('utf8'), got: got.toString('utf8'), ok });
    if (ok) {
      io.log(`received ${quote(got.toString('utf8'))}: echo ok`);
      continue;
    }
    io.log(describeMismatch(payload, got, options.replyTimeoutMs));
    return false;
  }
  return true;
}

function describeMismatch(sent: Buffer, got: Buffer, timeoutMs: number): string {
  const expected = quote(sent.toString('utf8'));
  if (got.length === 0)
    return `expected ${expected} back, but nothing came within ${timeoutMs / 1000} s`;
  return `expected ${expected} back, but received ${quote(got.toString('utf8'))}`;
}

async function closeCleanly(
  socket: net.Socket,
  reader: StreamReader,
  io: PeerIo,
): Promise<boolean> {
  io.log('closing the connection');
  socket.end();
  const { state, extra } = await reader.closed(2000);
  socket.destroy();
  const clean = state === 'closed' && extra.length === 0;
  io.report('closed', { clean, state });
  if (state === 'open') io.log('the server did not close the connection within 2 s');
  else if (state === 'reset') io.log('the server reset the connection instead of closing it');
  else if (extra.length > 0)
    io.log(`the server sent unexpected data: ${quote(extra.toString('utf8'))}`);
  else io.log('the server closed the connection too: clean close');
  return clean;
}
