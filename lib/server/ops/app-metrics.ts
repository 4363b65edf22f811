/**
 * The web app's Prometheus metrics (prom-client), one registry per process kept on globalThis
 * (Next.js may load a module more than once; the numbers must not split): database query
 * latency, runs recorded, run tokens issued, and Node's default process metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { appSandboxRegistry } from '../sandboxes/app-registry.ts';
import type { ServerStatus } from '../sandboxes/registry.ts';

export interface AppMetrics {
  registry: Registry;
  dbSeconds: Histogram<'engine'>;
  runsRecorded: Counter;
  runTokensIssued: Counter;
  sandboxServers: Gauge<'state'>;
}

const KEY = Symbol.for('handshake.appMetrics');
const holder = globalThis as { [KEY]?: AppMetrics };

/** Buckets for a query: most take a millisecond or two; 1 s is a database in trouble. */
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** How the app sees a sandbox server it places pages on. */
function stateOf(server: ServerStatus): 'healthy' | 'draining' | 'unreachable' {
  if (server.healthy) return 'healthy';
  return server.load?.draining ? 'draining' : 'unreachable';
}

/**
 * Builds a fresh set of the app's metrics in a registry of its own; `sandboxes` says what the
 * app knows of its sandbox servers (none with one server).
 */
export function createAppMetrics(
  sandboxes: () => ServerStatus[] = () => appSandboxRegistry()?.status() ?? [],
): AppMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    dbSeconds: new Histogram({
      name: 'handshake_app_db_seconds',
      help: 'Database query latency, by engine (sqlite or postgres).',
      labelNames: ['engine'],
      buckets: DB_BUCKETS,
      registers,
    }),
    runsRecorded: new Counter({
      name: 'handshake_app_runs_recorded_total',
      help: "Learners' runs recorded for their class.",
      registers,
    }),
    runTokensIssued: new Counter({
      name: 'handshake_app_run_tokens_issued_total',
      help: 'Run tokens issued to learners who joined a class.',
      registers,
    }),
    sandboxServers: new Gauge({
      name: 'handshake_app_sandbox_servers',
      help: 'Sandbox servers this app places pages on (HANDSHAKE_SANDBOX_SERVERS), by state.',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = { healthy: 0, draining: 0, unreachable: 0 };
        for (const server of sandboxes()) counts[stateOf(server)] += 1;
        for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      },
    }),
  };
}

/** This process's app metrics, made on first use. */
export function appMetrics(): AppMetrics {
  holder[KEY] ??= createAppMetrics();
  return holder[KEY];
}
