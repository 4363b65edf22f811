/**
 * http-client: sends HTTP/1.1 requests (node:http) to the learner's server, one at a time, each
 * waiting for its whole response, and reports every response with the raw bytes of its head.
 * What goes wrong is said in the learner's terms: Node's parser error with the line that broke
 * the rules, a body that never ends (no Content-Length on a kept-open connection, a
 * Content-Length larger than the body), a connection closed or reset mid-response. Exit status
 * 0 when every request got a response; it stops at the first that did not.
 */
import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import type { PeerLine } from '../../lib/notices/peer-lines.ts';
import type { HttpClientOptions, PeerConfig, PeerGo } from './config.ts';
import {
  diagnoseHead,
  framingOf,
  HeadRecorder,
  headEnd,
  MAX_BODY_BYTES,
  MAX_HEAD_BYTES,
  preview,
  problemLine,
} from './http-head.ts';
import { PEER_HOST } from './listen.ts';
import { expanderOf, type Expand } from './payload.ts';
import { quote, type PeerIo } from './peer-io.ts';
import { connectWithRetry } from './tcp-client.ts';

type RequestSpec = HttpClientOptions['requests'][number];

/** Gives the requests their connections: connected with retries, each tapped for its raw bytes. */
class PeerAgent extends http.Agent {
  private readonly connect: () => Promise<net.Socket | null>;
  readonly recorders = new WeakMap<Duplex, HeadRecorder>();

  constructor(keepAlive: boolean, connect: () => Promise<net.Socket | null>) {
    super({ keepAlive, maxSockets: 1 });
    this.connect = connect;
  }

  override createConnection(
    _options: http.ClientRequestArgs,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): undefined {
    void this.connect().then((socket) => {
      if (!socket) return callback?.(new ConnectFailed(), undefined as never);
      const recorder = new HeadRecorder();
      this.recorders.set(socket, recorder);
      // Before Node's parser reads them: a parse error must find the bytes recorded.
      socket.prependListener('data', (chunk: Buffer) => recorder.push(chunk));
      callback?.(null, socket);
    });
    return undefined;
  }
}

/** The learner's server could not be reached at all (already said by then). */
class ConnectFailed extends Error {}

/** One request's context. */
interface Exchange {
  agent: PeerAgent;
  options: HttpClientOptions;
  io: PeerIo;
  port: number;
  /** 1-based number of the request, in every report. */
  index: number;
}

/** Runs the requests one after another and sets the exit status. */
export async function runHttpClient(
  config: PeerConfig,
  io: PeerIo,
  go: Promise<PeerGo>,
): Promise<void> {
  const options = config.options as unknown as HttpClientOptions;
  const expand = await expanderOf(go);
  const address = `${PEER_HOST}:${config.port}`;
  let connected = false;
  const agent = new PeerAgent(options.keepAlive, async () => {
    const socket = await connectWithRetry(config.port, options.connectTimeoutMs, io);
    if (!socket) {
      const seconds = options.connectTimeoutMs / 1000;
      io.say({ code: 'peer-connect-timeout', params: { address, seconds, port: config.port } });
      io.report('connect-failed', { port: config.port });
    } else {
      io.say({ code: 'peer-connected', params: { address } });
      io.report('connected', { port: config.port, reused: connected });
      connected = true;
    }
    return socket;
  });
  let answered = 0;
  for (const [at, spec] of options.requests.entries()) {
    const exchange = { agent, options, io, port: config.port, index: at + 1 };
    if (!(await send(exchange, spec, expand))) break;
    answered += 1;
  }
  agent.destroy();
  const ok = answered === options.requests.length;
  io.say({ code: 'peer-http-done', params: { answered, count: options.requests.length } });
  io.report('done', { ok, answered, requests: options.requests.length });
  process.exitCode = ok ? 0 : 1;
}

/** Sends one request and waits for its response; true when a whole response came. */
function send(exchange: Exchange, spec: RequestSpec, expand: Expand): Promise<boolean> {
  const { agent, options, io, port, index } = exchange;
  const body = spec.body === undefined ? null : Buffer.from(expand(spec.body), 'utf8');
  const headers: Record<string, string | number> = {
    Host: `${PEER_HOST}:${port}`,
    Connection: options.keepAlive ? 'keep-alive' : 'close',
    ...(body ? { 'Content-Length': body.length } : {}),
    ...spec.headers,
  };
  const { method, path } = spec;
  const request = http.request({
    host: PEER_HOST,
    port,
    method,
    path,
    headers,
    agent,
    maxHeaderSize: MAX_HEAD_BYTES,
  });
  io.report('request', {
    index,
    method,
    path,
    headers,
    body: body?.toString('utf8') ?? '',
    bytes: body?.length ?? 0,
  });
  const line = quote(`${method} ${path} HTTP/1.1`);
  io.say({ code: 'peer-http-sent', params: { line, bytes: body?.length ?? 0 } });
  request.end(body ?? undefined);
  return new Promise((resolve) => watch(exchange, request, resolve));
}

/** Follows one request to its end: a whole response, an error, or the timeout. */
function watch(
  exchange: Exchange,
  request: http.ClientRequest,
  resolve: (ok: boolean) => void,
): void {
  const { agent, options, io, index } = exchange;
  let recorder: HeadRecorder | undefined;
  let response: http.IncomingMessage | undefined;
  let bodyBytes = 0;
  let settled = false;
  const settle = (
    ok: boolean,
    problem?: { lines: PeerLine[]; fields: Record<string, unknown> },
  ) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (problem) {
      for (const line of problem.lines) io.say(line);
      io.report('error', { index, ...problem.fields });
      request.destroy();
    }
    resolve(ok);
  };
  const timer = setTimeout(() => {
    const raw = recorder?.current ?? Buffer.alloc(0);
    settle(false, timedOut(raw, response, bodyBytes, options.timeoutMs / 1000));
  }, options.timeoutMs);
  request.on('socket', (socket) => {
    recorder = agent.recorders.get(socket);
    // A kept-alive connection carries the previous response's bytes: this one starts afresh.
    recorder?.clear();
  });
  request.on('response', (incoming) => {
    response = incoming;
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length;
      if (bodyBytes <= MAX_BODY_BYTES) return void chunks.push(chunk);
      const lines: PeerLine[] = [{ code: 'peer-reply-too-long', params: { max: MAX_BODY_BYTES } }];
      settle(false, { lines, fields: { reason: 'too-large', max: MAX_BODY_BYTES } });
    });
    incoming.on('end', () => {
      if (settled) return;
      reportResponse(exchange, incoming, Buffer.concat(chunks), recorder?.current);
      settle(true);
    });
    incoming.on('error', (error) => settle(false, cutShort(incoming, bodyBytes, error)));
  });
  request.on('error', (error: NodeJS.ErrnoException & { rawPacket?: Buffer; reason?: string }) => {
    if (error instanceof ConnectFailed) return settle(false);
    if (response) return settle(false, cutShort(response, bodyBytes, error));
    const raw = recorder?.current.length ? recorder.current : (error.rawPacket ?? Buffer.alloc(0));
    settle(false, failedBeforeResponse(error, raw));
  });
}

function reportResponse(
  exchange: Exchange,
  response: http.IncomingMessage,
  body: Buffer,
  raw: Buffer | undefined,
): void {
  const { io, index } = exchange;
  const framing = framingOf(response.headers);
  const recorded = raw ?? Buffer.alloc(0);
  const end = headEnd(recorded);
  const head = end < 0 ? recorded : recorded.subarray(0, end);
  const text = body.toString('utf8');
  const status = response.statusCode ?? 0;
  const reason = response.statusMessage ?? '';
  io.report('response', {
    index,
    status,
    statusMessage: reason,
    httpVersion: response.httpVersion,
    headers: response.headers,
    body: text,
    bytes: body.length,
    framing,
    raw: head.toString('utf8'),
  });
  io.say({
    code: 'peer-http-received',
    params: {
      version: response.httpVersion,
      status,
      reason,
      framing,
      bytes: body.length,
      body: preview(text),
    },
  });
}

type Failure = { lines: PeerLine[]; fields: Record<string, unknown> };

/** Why the time ran out: no response, an unfinished head, or a body that did not end. */
export function timedOut(
  raw: Buffer,
  response: http.IncomingMessage | undefined,
  bytes: number,
  seconds: number,
): Failure {
  const fields = { reason: 'timeout', seconds };
  if (!response) {
    if (raw.length === 0)
      return { lines: [{ code: 'peer-http-no-response', params: { seconds } }], fields };
    const data = quote(raw.toString('utf8'));
    return {
      lines: [{ code: 'peer-http-head-unfinished', params: { seconds, data } }],
      fields: { ...fields, phase: 'head', raw: raw.toString('utf8') },
    };
  }
  const framing = framingOf(response.headers);
  const body = { ...fields, phase: 'body', framing, bytes };
  if (framing === 'close')
    return {
      lines: [{ code: 'peer-http-body-timeout-close', params: { seconds, bytes } }],
      fields: body,
    };
  if (framing === 'chunked')
    return {
      lines: [{ code: 'peer-http-body-timeout-chunked', params: { seconds, bytes } }],
      fields: body,
    };
  const announced = Number(response.headers['content-length']);
  return {
    lines: [{ code: 'peer-http-body-timeout-short', params: { seconds, bytes, announced } }],
    fields: { ...body, announced },
  };
}

/** The connection ended in the middle of a response's body. */
function cutShort(response: http.IncomingMessage, bytes: number, error: Error): Failure {
  const framing = framingOf(response.headers);
  const announced = Number(response.headers['content-length']);
  if (framing === 'content-length' && Number.isFinite(announced))
    return {
      lines: [{ code: 'peer-http-closed-early', params: { bytes, announced } }],
      fields: { reason: 'closed', phase: 'body', framing, bytes, announced },
    };
  return {
    lines: [{ code: 'peer-http-failed', params: { error: error.message } }],
    fields: { reason: 'closed', phase: 'body', framing, bytes, message: error.message },
  };
}

/** Before any response: a head the parser refused, or a connection closed or reset. */
function failedBeforeResponse(
  error: NodeJS.ErrnoException & { reason?: string },
  raw: Buffer,
): Failure {
  const code = error.code ?? '';
  if (code.startsWith('HPE_')) {
    const message = error.reason ?? error.message;
    const problem = diagnoseHead(raw, 'response', code);
    const rawText = raw.toString('utf8');
    const lines: PeerLine[] = [
      {
        code: 'peer-http-parse-error',
        params: { error: `${code}: ${message}`, raw: quote(rawText) },
      },
    ];
    const explained = problemLine(problem, 'response');
    if (explained) lines.push(explained);
    return {
      lines,
      fields: { ...problem, reason: 'parse', problem: problem.reason, code, message, raw: rawText },
    };
  }
  if (raw.length === 0 && code === 'ECONNRESET' && error.message === 'socket hang up')
    return {
      lines: [{ code: 'peer-http-closed-no-response', params: {} }],
      fields: { reason: 'closed', phase: 'head', code, message: error.message },
    };
  return {
    lines: [{ code: 'peer-http-failed', params: { error: error.message } }],
    fields: { reason: code === 'ECONNRESET' ? 'reset' : 'failed', code, message: error.message },
  };
}
