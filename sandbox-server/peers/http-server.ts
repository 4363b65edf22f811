/**
 * http-server: an HTTP/1.1 server (node:http) for a learner's hand-written client. It answers
 * its routes with templated bodies delimited as the lesson asks, per route or for the whole
 * server (Content-Length, chunked, or closing the connection), and reports every request with the raw bytes of its head, so a
 * check can see exactly what the learner's client sent. What Node's parser refuses (a line
 * ended with "\n" alone, a malformed request line) and what it lets through but HTTP/1.1 forbids
 * (no Host header) is answered 400 and explained from those raw bytes.
 */
import http from 'node:http';
import type net from 'node:net';
import type { PeerLine } from '../../lib/notices/peer-lines.ts';
import type { HttpServerOptions, PeerConfig, PeerGo } from './config.ts';
import {
  diagnoseHead,
  framingOf,
  HeadRecorder,
  headEnd,
  MAX_BODY_BYTES,
  MAX_HEAD_BYTES,
  problemLine,
  type Framing,
  type HeadProblem,
} from './http-head.ts';
import { listenOrExit, trackConnection } from './listen.ts';
import { expanderOf, type Expand } from './payload.ts';
import { quote, type PeerIo } from './peer-io.ts';

/** How long a request's head, and the whole request, may take to arrive (then 408). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;
/** How long a kept-alive connection may wait idle for its next request. */
const KEEP_ALIVE_TIMEOUT_MS = 5000;
/** How often Node looks for requests past their timeouts. */
const TIMEOUT_CHECK_MS = 500;
/** A head still unfinished this long after its first byte is said so (once per request). */
const PARTIAL_AFTER_MS = 1000;

type Route = HttpServerOptions['routes'][number];

/** One connection: its client's address and the bytes of the request it is receiving. */
interface Connection {
  from: string;
  recorder: HeadRecorder;
  partial?: NodeJS.Timeout;
  toldPartial: boolean;
}

/** What one response holds, before its framing and connection handling are decided. */
interface Reply {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** The route's own framing, which overrides the server's. */
  framing?: Framing;
  /** Close the connection after it whatever the options say (the request went wrong). */
  close?: boolean;
}

/** Runs the HTTP server until the run stops it. */
export function runHttpServer(config: PeerConfig, io: PeerIo, go: Promise<PeerGo>): void {
  const options = config.options as unknown as HttpServerOptions;
  const expand = expanderOf(go);
  const connections = new WeakMap<net.Socket, Connection>();
  const server = http.createServer({
    // Checked here instead, so the request is reported and the 400 explained.
    requireHostHeader: false,
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: TIMEOUT_CHECK_MS,
    maxHeaderSize: MAX_HEAD_BYTES,
  });
  server.on('connection', (socket: net.Socket) => {
    connections.set(socket, watchConnection(socket, io));
  });
  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    const connection = connections.get(request.socket);
    if (connection) void expand.then((draw) => serve(request, response, connection, draw));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: net.Socket) => {
    const connection = connections.get(socket);
    if (connection) refuse(error, socket, connection, io);
    else socket.destroy();
  });
  listenOrExit(server, config.port, io);

  async function serve(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    connection: Connection,
    draw: Expand,
  ): Promise<void> {
    clearTimeout(connection.partial);
    connection.toldPartial = false;
    const requestFraming = framingOf(request.headers);
    const declared = requestFraming === 'content-length' ? contentLength(request.headers) : 0;
    const raw = connection.recorder.takeHead(declared);
    const body = await readBody(request);
    // A chunked body's raw length is unknown: the next request's head starts afresh.
    if (requestFraming === 'chunked') connection.recorder.clear();
    const { from } = connection;
    if (body === null) {
      io.say({ code: 'peer-http-body-too-large', params: { max: MAX_BODY_BYTES } });
      io.report('bad-request', { from, reason: 'body-too-large', raw: raw.toString('utf8') });
      return respond(response, connection, {
        status: 413,
        body: '413 Content Too Large\n',
        close: true,
      });
    }
    reportRequest(request, body, raw, from);
    const problem = protocolProblem(request, raw);
    if (problem) {
      for (const line of problem.lines) io.say(line);
      io.report('bad-request', { from, ...problem.fields, raw: raw.toString('utf8') });
      return respond(response, connection, { status: 400, body: '400 Bad Request\n', close: true });
    }
    respond(response, connection, route(request, draw));
  }

  function reportRequest(
    request: http.IncomingMessage,
    body: Buffer,
    raw: Buffer,
    from: string,
  ): void {
    const { method, url, httpVersion, headers } = request;
    const text = body.toString('utf8');
    io.report('request', {
      from,
      method,
      path: url,
      httpVersion,
      headers,
      body: text,
      bytes: body.length,
      raw: raw.toString('utf8'),
    });
    const line = quote(`${method} ${url} HTTP/${httpVersion}`);
    io.say({ code: 'peer-http-request', params: { line, bytes: body.length } });
  }

  /** The response to a well-formed request: its route's, or 404, or 405. */
  function route(request: http.IncomingMessage, draw: Expand): Reply {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0]!;
    const atPath = options.routes.filter((candidate) => candidate.path === path);
    const found = atPath.find((candidate) => answers(candidate, method));
    if (found) {
      const { status, body, contentType, framing } = found;
      return { status, body: draw(body), contentType, framing };
    }
    if (atPath.length === 0) {
      const routes = [...new Set(options.routes.map((candidate) => candidate.path))].join(', ');
      io.say({ code: 'peer-http-no-route', params: { method, path, routes } });
      return { status: 404, body: `404 Not Found: ${path}\n` };
    }
    const allowed = allowedMethods(atPath).join(', ');
    io.say({ code: 'peer-http-wrong-method', params: { method, path, allowed } });
    return { status: 405, body: '405 Method Not Allowed\n', headers: { Allow: allowed } };
  }

  /** Writes `reply` with its route's framing (or the server's), reports it and says so. */
  function respond(response: http.ServerResponse, connection: Connection, reply: Reply): void {
    const http10 = response.req.httpVersionMajor !== 1 || response.req.httpVersionMinor === 0;
    const wanted = reply.framing ?? options.framing;
    // HTTP/1.0 knows no chunked coding: such a client gets its body ended by the close.
    const framing: Framing = wanted === 'chunked' && http10 ? 'close' : wanted;
    const keepAlive =
      options.keepAlive && response.shouldKeepAlive && framing !== 'close' && !reply.close;
    const payload = Buffer.from(reply.body, 'utf8');
    response.sendDate = false;
    response.statusCode = reply.status;
    response.setHeader('Content-Type', reply.contentType ?? 'text/plain; charset=utf-8');
    for (const [name, value] of Object.entries(reply.headers ?? {}))
      response.setHeader(name, value);
    if (framing === 'content-length') response.setHeader('Content-Length', payload.length);
    if (framing === 'chunked') response.setHeader('Transfer-Encoding', 'chunked');
    if (framing === 'close') {
      // Without these Node would add a length or chunk the body itself.
      response.removeHeader('Content-Length');
      response.removeHeader('Transfer-Encoding');
    }
    response.setHeader('Connection', keepAlive ? 'keep-alive' : 'close');
    const chunks = writeBody(response, payload, framing);
    const head = response.req.method === 'HEAD';
    const sent = head ? Buffer.alloc(0) : payload;
    const status = reply.status;
    const reason = http.STATUS_CODES[status] ?? '';
    io.report('response', {
      from: connection.from,
      status,
      statusMessage: reason,
      headers: response.getHeaders(),
      body: sent.toString('utf8'),
      bytes: sent.length,
      framing,
      ...(framing === 'chunked' && !head ? { chunks } : {}),
      keepAlive,
    });
    const params = { status, reason, framing, bytes: sent.length, keepAlive };
    io.say({ code: 'peer-http-response', params });
  }
}

/**
 * Chunk sizes in bytes, cycled: varied, some of them 16 or more, so that their hexadecimal
 * differs from their decimal and a chunked stream printed raw never reads as the body.
 */
const CHUNK_SIZES = [3, 17, 6, 12, 26];

/** Writes the body; a chunked one as several chunks, whose sizes it returns. */
function writeBody(response: http.ServerResponse, payload: Buffer, framing: Framing): number[] {
  if (framing !== 'chunked') {
    response.end(payload);
    return [];
  }
  const pieces = chunksOf(payload);
  // Node sends each write() of a chunked response as one chunk.
  for (const piece of pieces) response.write(piece);
  response.end();
  return pieces.map((piece) => piece.length);
}

/**
 * `payload` cut into chunks of CHUNK_SIZES, at least two when it has two characters. Cuts fall
 * between UTF-8 characters, so a body printed raw, sizes and CRLFs included, still reads as
 * text and shows the learner what sits between its pieces.
 */
export function chunksOf(payload: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  let start = 0;
  for (let index = 0; start < payload.length; index++) {
    const size = CHUNK_SIZES[index % CHUNK_SIZES.length]!;
    // The first chunk never holds the whole body: at most its first half.
    const end =
      index === 0
        ? firstCut(payload, Math.min(size, Math.ceil(payload.length / 2)))
        : characterStart(payload, start + size, 1);
    pieces.push(payload.subarray(start, end));
    start = end;
  }
  return pieces;
}

/** Where the first chunk ends: near `size`, but never at the body's end if it can help it. */
function firstCut(payload: Buffer, size: number): number {
  const forward = characterStart(payload, size, 1);
  if (forward < payload.length) return forward;
  const backward = characterStart(payload, size, -1);
  return backward > 0 ? backward : payload.length;
}

/** The nearest offset from `offset` in `step`'s direction that starts a UTF-8 character. */
function characterStart(payload: Buffer, offset: number, step: 1 | -1): number {
  let at = Math.min(offset, payload.length);
  // Continuation bytes are 10xxxxxx; the buffer's ends are boundaries too.
  while (at > 0 && at < payload.length && (payload[at]! & 0xc0) === 0x80) at += step;
  return at;
}

function answers(route: Route, method: string): boolean {
  return route.method === method || (method === 'HEAD' && route.method === 'GET');
}

function allowedMethods(routes: Route[]): string[] {
  const methods = routes.map((candidate) => candidate.method);
  if (methods.includes('GET')) methods.push('HEAD');
  return [...new Set(methods)];
}

function contentLength(headers: http.IncomingHttpHeaders): number {
  const value = Number(headers['content-length']);
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

/** What HTTP/1.1 forbids although Node's parser let it through: no version, no Host. */
function protocolProblem(
  request: http.IncomingMessage,
  raw: Buffer,
): { lines: PeerLine[]; fields: Record<string, unknown> } | null {
  if (request.httpVersionMajor === 0) {
    // "GET /" alone parses as HTTP/0.9, which no client today means.
    const text = raw.toString('utf8').split(/\r?\n/)[0] ?? '';
    const problem = { reason: 'bad-start-line', line: 1, text } as const;
    return { lines: [problemLine(problem, 'request')!], fields: { ...problem } };
  }
  if (request.httpVersion === '1.1' && request.headers.host === undefined)
    return {
      lines: [{ code: 'peer-http-missing-host', params: {} }],
      fields: { reason: 'missing-host' },
    };
  return null;
}

/** The request's body, or null once it passes MAX_BODY_BYTES (the rest is left unread). */
function readBody(request: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_BODY_BYTES) return void chunks.push(chunk);
      request.removeAllListeners('data');
      request.pause();
      resolve(null);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    // A client that left mid-body: what came is all there is.
    request.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

/** Records what a connection receives and says when a head is slow to end. */
function watchConnection(socket: net.Socket, io: PeerIo): Connection {
  const connection: Connection = {
    from: trackConnection(socket, io),
    recorder: new HeadRecorder(),
    toldPartial: false,
  };
  // Before Node's parser sees the bytes: a parse error must find them recorded.
  socket.prependListener('data', (chunk: Buffer) => {
    connection.recorder.push(chunk);
    if (connection.partial || connection.toldPartial) return;
    connection.partial = setTimeout(() => sayPartial(connection, io), PARTIAL_AFTER_MS);
  });
  socket.on('close', () => clearTimeout(connection.partial));
  return connection;
}

function sayPartial(connection: Connection, io: PeerIo): void {
  connection.partial = undefined;
  const bytes = connection.recorder.current;
  if (bytes.length === 0 || headEnd(bytes) >= 0) return;
  connection.toldPartial = true;
  io.say({
    code: 'peer-http-head-partial',
    params: { data: quote(bytes.toString('utf8')), bytes: bytes.length },
  });
}

/** Answers what Node's parser refused (or a request too slow to arrive) and explains it. */
function refuse(
  error: NodeJS.ErrnoException & { reason?: string },
  socket: net.Socket,
  connection: Connection,
  io: PeerIo,
): void {
  clearTimeout(connection.partial);
  const { from } = connection;
  const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  if (!timedOut && !error.code?.startsWith('HPE_')) return void socket.destroy();
  const raw = connection.recorder.current;
  const problem: HeadProblem = timedOut
    ? { reason: 'incomplete' }
    : diagnoseHead(raw, 'request', error.code);
  const message = error.reason ?? error.message;
  io.report('bad-request', {
    from,
    ...problem,
    code: error.code,
    message,
    raw: raw.toString('utf8'),
  });
  if (timedOut)
    io.say({ code: 'peer-http-head-timeout', params: { seconds: HEADERS_TIMEOUT_MS / 1000 } });
  else {
    const params = { error: `${error.code}: ${message}`, raw: quote(raw.toString('utf8')) };
    io.say({ code: 'peer-http-bad-request', params });
  }
  const explained = problemLine(problem, 'request');
  if (explained) io.say(explained);
  writeRefusal(socket, timedOut ? 408 : 400, connection, io);
}

/** A status line and a short body written straight to the socket: Node has no response here. */
function writeRefusal(
  socket: net.Socket,
  status: 400 | 408,
  connection: Connection,
  io: PeerIo,
): void {
  const reason = http.STATUS_CODES[status]!;
  const body = `${status} ${reason}\n`;
  const headers = {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  };
  if (socket.writable) {
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.end(`HTTP/1.1 ${status} ${reason}\r\n${head.join('')}\r\n${body}`);
  }
  socket.destroySoon();
  io.report('response', {
    from: connection.from,
    status,
    statusMessage: reason,
    headers,
    body,
    bytes: Buffer.byteLength(body),
    framing: 'content-length',
    keepAlive: false,
  });
  const params = {
    status,
    reason,
    framing: 'content-length' as const,
    bytes: body.length,
    keepAlive: false,
  };
  io.say({ code: 'peer-http-response', params });
}
