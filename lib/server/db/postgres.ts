/**
 * The server engine for several app replicas: PostgreSQL through node-postgres' pool.
 */
import { PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';
import { GuardedDialect } from './guarded-dialect.ts';

/** `url` without its password: host:port/database, for messages and logs. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
    return `${host}:${parsed.port || '5432'}${parsed.pathname || '/'}`;
  } catch {
    return 'postgres (unparseable URL)';
  }
}

/** int8 (count(*), sums) as a number: every count here is far below 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A dialect on a pool for `url`; connecting waits at most `connectTimeoutMs`. */
export function openPostgres(url: string, connectTimeoutMs: number): Dialect {
  const where = describePostgresUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle client losing its server emits 'error' on the pool; unheard, it would end the
  // process. The next query gets a fresh client or a DatabaseUnavailable.
  pool.on('error', (error) => console.error(`handshake: database ${where}: ${error.message}`));
  return new GuardedDialect(new PostgresDialect({ pool }), where);
}
