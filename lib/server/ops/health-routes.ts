/**
 * The web app's operational routes as plain functions (app/healthz, app/readyz, app/metrics
 * call them): /healthz (the process answers), /readyz (the database answers a query within
 * 1 s, else 503 with the reason), /metrics (Prometheus text, behind HANDSHAKE_METRICS_TOKEN when
 * set). Nothing here is cached.
 */
import { bearerMatches } from '../../../sandbox-server/ops/http.ts';
import type { Registry } from 'prom-client';

/** Longest /readyz waits for the database. */
export const READY_TIMEOUT_MS = 1000;

const headers = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

/** GET /healthz: the process is up. */
export function handleHealthz(): Response {
  return new Response('ok\n', { headers });
}

export interface ReadyzDeps {
  /** Runs a trivial query on the app's database (rejects when it cannot). */
  ping(): Promise<unknown>;
  timeoutMs?: number;
  logFault?: (what: string, error: unknown) => void;
}

/** GET /readyz: 200 once the database answered within the time, else 503 saying why. */
export async function handleReadyz(deps: ReadyzDeps): Promise<Response> {
  const timeoutMs = deps.timeoutMs ?? READY_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  // Settles either way, so a query that fails after the deadline is no unhandled rejection.
  const answered = deps.ping().then(
    () => 'ok' as const,
    (error: unknown) => {
      deps.logFault?.('readiness: the database', error);
      return 'failed' as const;
    },
  );
  const answer = await Promise.race([answered, late]);
  clearTimeout(timer);
  if (answer === 'ok') return new Response('ready\n', { headers });
  const why =
    answer === 'late'
      ? `the database did not answer within ${timeoutMs} ms`
      : 'the database cannot be reached';
  return new Response(`${why}\n`, { status: 503, headers });
}

export interface MetricsDeps {
  registry: Registry;
  /** Bearer token asked for; empty: none. */
  token: string;
}

/** GET /metrics: the Prometheus exposition, behind the bearer token when one is set. */
export async function handleMetrics(request: Request, deps: MetricsDeps): Promise<Response> {
  if (deps.token && !bearerMatches(request.headers.get('authorization') ?? undefined, deps.token))
    return new Response('a bearer token is required\n', {
      status: 401,
      headers: { ...headers, 'www-authenticate': 'Bearer' },
    });
  return new Response(await deps.registry.metrics(), {
    headers: { 'content-type': deps.registry.contentType, 'cache-control': 'no-store' },
  });
}
