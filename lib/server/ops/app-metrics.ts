/**
 * The web app's Prometheus metrics (prom-client), one registry per process kept on globalThis
 * (Next.js may load a module more than once; the numbers must not split): database query
 * latency, runs recorded, run tokens issued, and Node's default process metrics.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface AppMetrics {
  registry: Registry;
  dbSeconds: Histogram<'engine'>;
  runsRecorded: Counter;
  runTokensIssued: Counter;
}

const KEY = Symbol.for('handshake.appMetrics');
const holder = globalThis as { [KEY]?: AppMetrics };

/** Buckets for a query: most take a millisecond or two; 1 s is a database in trouble. */
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Builds a fresh set of the app's metrics in a registry of its own. */
export function createAppMetrics(): AppMetrics {
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
  };
}

/** This process's app metrics, made on first use. */
export function appMetrics(): AppMetrics {
  holder[KEY] ??= createAppMetrics();
  return holder[KEY];
}
