/**
 * Kysely's query log, turned into handshake_app_db_seconds: every query the data layer runs,
 * failed ones included, observed by engine. Only the duration is read, never the SQL or its
 * parameters (they hold learners' code).
 */
import type { LogEvent } from 'kysely';
import { appMetrics } from './app-metrics.ts';

/** A Kysely `log` function observing each query's duration for this engine. */
export function observeQueries(engine: 'sqlite' | 'postgres'): (event: LogEvent) => void {
  return (event) => appMetrics().dbSeconds.observe({ engine }, event.queryDurationMillis / 1000);
}
