/**
 * The WebSocket front of the sandbox: an HTTP server whose only upgrade path is /ws. It checks
 * Origin and the per-address connection cap before a connection gets a session, pings to find
 * browsers that vanished, and on shutdown stops every run and closes every socket with
 * CLOSE_CODES.serverShuttingDown. Draining (before a stop) takes no new run and closes each
 * connection with CLOSE_CODES.serverDraining once its runs have ended, so browsers reconnect to
 * another server. Plain HTTP answers /healthz, /readyz, /health and /metrics (ops/http.ts) and
 * the downloads of finished runs' captures under /capture/ (capture-route.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  CLOSE_CODES,
  PROTOCOL_VERSION,
  WIRE_LIMITS,
  type Notice,
  type RunLimits,
  type ServerMessage,
} from '../../lib/protocol.ts';
import { answerOps, isOpsPath, type OpsState } from '../ops/http.ts';
import { instanceId } from '../ops/instance.ts';
import type { SlotPool } from '../queue/slot-pool.ts';
import { AddressLimit } from './address-limits.ts';
import { answerCapture, isCapturePath } from './capture-route.ts';
import { sealCaptureToken, type CaptureOwner } from './capture-owner.ts';
import { CaptureStore } from './capture-store.ts';
import { Connection, type Recording } from './connection.ts';
import { LessonViewers } from './lesson-viewers.ts';
import type { RunEngine } from './engine.ts';
import { isOriginAllowed } from './origin.ts';
import type { OutboxOptions } from './outbox.ts';
import type { RunLogEntry } from './run-session.ts';

/** The WebSocket path browsers connect to. */
export const WS_PATH = '/ws';
/** How often idle sockets are pinged; a socket that missed the previous pong is dropped. */
const PING_INTERVAL_MS = 30_000;
/** How long shutdown waits for sandboxes to be torn down before closing anyway. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How often captures past their age are dropped from memory. */
const CAPTURE_SWEEP_MS = 30_000;

export interface TransportOptions {
  host: string;
  port: number;
  allowedOrigins: readonly string[];
  maxConnectionsPerAddress: number;
  maxRunsPerAddress: number;
  maxMessageBytes: number;
  /** Take the client address from X-Forwarded-For (only behind a reverse proxy you run). */
  trustProxy: boolean;
  /** Default limits announced in `hello`. */
  limits: RunLimits;
  outbox: OutboxOptions;
  /** Captures kept for download: bytes for all, and how long each (absent: no downloads). */
  /** Capture downloads; with `owner`, from whichever server a download lands on. */
  captures?: { maxBytes: number; ttlMs: number; owner?: CaptureOwner };
}

export interface ServerLog {
  info(line: string): void;
  fault(what: string, error: unknown): void;
  run(entry: RunLogEntry): void;
}

export interface SandboxServer {
  readonly port: number;
  /** ws://host:port/ws */
  readonly url: string;
  /** Open connections right now. */
  readonly connections: number;
  /** Whether drain() was called: /readyz answers 503 and new runs are refused. */
  readonly draining: boolean;
  /**
   * Takes no new run from now on and closes each connection with serverDraining once its runs
   * have ended; resolves when no connection is left.
   */
  drain(): Promise<void>;
  /** Stops every run, closes every socket, stops listening. */
  close(): Promise<void>;
}

/** What the operational answers need beyond the transport's own state (ops/http.ts). */
export type OpsDeps = Partial<
  Pick<OpsState, 'instance' | 'jailerAnswers' | 'metrics' | 'metricsToken'>
>;

/** What a refused run is told while the server drains. */
const DRAINING: Notice = { code: 'server-draining', params: {} };

interface Deps {
  engine: RunEngine;
  pool: SlotPool;
  log: ServerLog;
  /** Run tokens and recorded runs (absent: every connection is anonymous, nothing recorded). */
  recording?: Omit<Recording, 'log'>;
  ops?: OpsDeps;
}

/** Starts listening; resolves once the port is bound. */
export async function startSandboxServer(
  options: TransportOptions,
  deps: Deps,
): Promise<SandboxServer> {
  const connections = new Set<Connection>();
  const connectionsPerAddress = new AddressLimit(options.maxConnectionsPerAddress);
  const runsPerAddress = new AddressLimit(options.maxRunsPerAddress);
  // Messages between the configured limit and this ceiling get a `too-large` answer; beyond it
  // `ws` closes the socket (1009), since answering would mean reading unbounded data first.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 4 * WIRE_LIMITS.maxMessageBytes,
    perMessageDeflate: false,
  });
  const viewers = new LessonViewers((demand) => deps.engine.warmUp(demand));
  const owner = options.captures?.owner;
  const seal = owner && { seal: (random: string) => sealCaptureToken(random, owner) };
  const captures = options.captures ? new CaptureStore({ ...options.captures, ...seal }) : null;
  const drain = new Drain(connections);
  const ops = opsState(deps, connections, drain);
  const http = createServer((req, res) => {
    const url = requestUrl(req);
    if (isCapturePath(url.pathname))
      return void answerCapture(req, res, url, captures, options.allowedOrigins, owner).catch(() =>
        res.destroy(),
      );
    if (isOpsPath(url.pathname))
      return void answerOps(req, res, url.pathname, ops).catch((error: unknown) => {
        deps.log.fault(`answering ${url.pathname}`, error);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    answerHttp(res);
  });

  const accept = (ws: WebSocket, req: IncomingMessage): void => {
    const address = clientAddress(req, options.trustProxy);
    if (!isOriginAllowed(req.headers.origin, options.allowedOrigins)) {
      deps.log.info(`refused origin ${JSON.stringify(req.headers.origin ?? null)} from ${address}`);
      return ws.close(CLOSE_CODES.originRejected, 'origin not allowed');
    }
    if (drain.active) return ws.close(CLOSE_CODES.serverDraining, 'server draining');
    const release = connectionsPerAddress.tryAcquire(address);
    if (!release)
      return ws.close(CLOSE_CODES.tooManyConnections, 'too many connections from your address');
    const connection = new Connection(
      ws,
      {
        engine: deps.engine,
        pool: deps.pool,
        runsPerAddress,
        address,
        captures,
        logRun: deps.log.run,
        logFault: deps.log.fault,
        viewers,
        recording: deps.recording && { ...deps.recording, log: deps.log.info },
        refuseRuns: () => (drain.active ? DRAINING : null),
      },
      { hello: hello(options), maxMessageBytes: options.maxMessageBytes, outbox: options.outbox },
    );
    connections.add(connection);
    ws.on('close', () => {
      connections.delete(connection);
      release();
      drain.closed();
    });
    keepAlive(ws);
    connection.start();
  };

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (pathOf(req) !== WS_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
  });

  const pinger = setInterval(() => pingAll(wss), PING_INTERVAL_MS);
  pinger.unref();
  const sweeper = setInterval(() => captures?.sweep(), CAPTURE_SWEEP_MS);
  sweeper.unref();
  await listen(http, options.host, options.port);
  const port = (http.address() as AddressInfo).port;

  return {
    port,
    url: `ws://${urlHost(options.host)}:${port}${WS_PATH}`,
    get connections() {
      return connections.size;
    },
    get draining() {
      return drain.active;
    },
    drain: () => drain.start(),
    async close() {
      clearInterval(pinger);
      viewers.close();
      clearInterval(sweeper);
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      for (const connection of connections)
        connection.close(CLOSE_CODES.serverShuttingDown, 'server shutting down');
      const idle = Promise.all([...connections].map((c) => c.session.whenIdle()));
      await Promise.race([
        idle,
        new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref()),
      ]);
      for (const ws of wss.clients) ws.terminate();
      http.closeAllConnections();
      await closed;
    },
  };
}

function hello(options: TransportOptions): Extract<ServerMessage, { type: 'hello' }> {
  const { limits, maxMessageBytes } = options;
  return { type: 'hello', protocol: PROTOCOL_VERSION, limits, maxMessageBytes };
}

/** The client's address; behind a trusted proxy, the one the proxy saw. */
function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  const fromProxy =
    trustProxy && typeof forwarded === 'string' ? forwarded.split(',').at(-1)?.trim() : undefined;
  const address = fromProxy || req.socket.remoteAddress || 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function pathOf(req: IncomingMessage): string {
  return requestUrl(req).pathname;
}

/** The request's path and query (the host part is a placeholder: only these are read). */
function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return new URL('http://localhost/');
  }
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The drain of a server about to stop: no new run, and each connection closed with
 * serverDraining as soon as its runs have ended.
 */
class Drain {
  active = false;
  private readonly connections: Set<Connection>;
  private wake: (() => void) | null = null;
  private done: Promise<void> | null = null;

  constructor(connections: Set<Connection>) {
    this.connections = connections;
  }

  /** Starts draining (once); resolves when no connection is left. */
  start(): Promise<void> {
    if (this.done) return this.done;
    this.active = true;
    this.done = new Promise((resolve) => (this.wake = resolve));
    for (const connection of this.connections)
      void connection.session
        .whenIdle()
        .then(() => connection.close(CLOSE_CODES.serverDraining, 'server draining'));
    this.closed();
    return this.done;
  }

  /** A connection has gone: the drain is over when it was the last. */
  closed(): void {
    if (this.active && this.connections.size === 0) this.wake?.();
  }
}

/** The live numbers /health, /readyz and /metrics read. */
function opsState(deps: Deps, connections: Set<Connection>, drain: Drain): OpsState {
  const { pool } = deps;
  return {
    instance: deps.ops?.instance ?? instanceId(),
    slots: () => pool.slots,
    busy: () => pool.busy,
    waiting: () => pool.waiting,
    connections: () => connections.size,
    draining: () => drain.active,
    jailerAnswers: deps.ops?.jailerAnswers ?? (() => Promise.resolve(true)),
    metrics: deps.ops?.metrics,
    metricsToken: deps.ops?.metricsToken,
  };
}

function answerHttp(res: ServerResponse): void {
  res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`Handshake sandbox server: connect with a WebSocket at ${WS_PATH}\n`);
}

const alive = new WeakSet<WebSocket>();

function keepAlive(ws: WebSocket): void {
  alive.add(ws);
  ws.on('pong', () => alive.add(ws));
}

function pingAll(wss: WebSocketServer): void {
  for (const ws of wss.clients) {
    if (!alive.has(ws)) {
      ws.terminate();
      continue;
    }
    alive.delete(ws);
    ws.ping();
  }
}

function listen(http: ReturnType<typeof createServer>, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
