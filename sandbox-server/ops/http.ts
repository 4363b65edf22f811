/**
 * The sandbox server's operational HTTP answers: /healthz (the process answers), /readyz (the
 * jailer answers and the server is not draining; 503 with the reason otherwise), /health (the
 * JSON the app's router polls: slots, busy, waiting, connections, draining, instance) and
 * /metrics (Prometheus text; with a token configured, only for `Authorization: Bearer <token>`).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxMetrics } from './metrics.ts';

export const OPS_PATHS = ['/healthz', '/readyz', '/health', '/metrics'] as const;

/** What the answers read; every read is of the live state. */
export interface OpsState {
  instance: string;
  slots(): number;
  busy(): number;
  waiting(): number;
  connections(): number;
  draining(): boolean;
  /** Whether the jailer answered a request just now (false when it is gone or hangs). */
  jailerAnswers(): Promise<boolean>;
  metrics?: SandboxMetrics;
  /** Bearer token /metrics asks for; empty or absent: none. */
  metricsToken?: string;
}

/** Whether `pathname` is one of the operational paths. */
export function isOpsPath(pathname: string): boolean {
  return (OPS_PATHS as readonly string[]).includes(pathname);
}

/** Answers an operational request (its path is one of OPS_PATHS). */
export async function answerOps(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  state: OpsState,
): Promise<void> {
  if (pathname === '/healthz') return send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
  if (pathname === '/readyz') return readiness(res, state);
  if (pathname === '/health') return sendJson(res, 200, healthOf(state));
  return metrics(req, res, state);
}

/** The /health JSON. */
export function healthOf(state: OpsState): Record<string, unknown> {
  return {
    ok: true,
    slots: state.slots(),
    busy: state.busy(),
    waiting: state.waiting(),
    connections: state.connections(),
    draining: state.draining(),
    instance: state.instance,
  };
}

async function readiness(res: ServerResponse, state: OpsState): Promise<void> {
  if (state.draining()) return send(res, 503, 'text/plain; charset=utf-8', 'draining\n');
  if (!(await state.jailerAnswers()))
    return send(res, 503, 'text/plain; charset=utf-8', 'the jailer does not answer\n');
  send(res, 200, 'text/plain; charset=utf-8', 'ready\n');
}

async function metrics(req: IncomingMessage, res: ServerResponse, state: OpsState): Promise<void> {
  if (!state.metrics) return send(res, 404, 'text/plain; charset=utf-8', 'no metrics\n');
  if (state.metricsToken && !bearerMatches(req.headers.authorization, state.metricsToken)) {
    res.setHeader('www-authenticate', 'Bearer');
    return send(res, 401, 'text/plain; charset=utf-8', 'a bearer token is required\n');
  }
  send(res, 200, state.metrics.contentType, await state.metrics.render());
}

/** Compares in constant time, so the token cannot be guessed a character at a time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', JSON.stringify(body));
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
