/**
 * The one data layer: Kysely over embedded SQLite (the default, in HANDSHAKE_DATA_DIR) or
 * PostgreSQL (HANDSHAKE_DATABASE_URL, for several app replicas), with one migration chain and
 * one set of repository functions that run unchanged on both.
 */
import path from 'node:path';
import { Kysely } from 'kysely';
import { loadDatabaseConfig } from '../../../sandbox-server/config.ts';
import { observeQueries } from '../ops/db-latency.ts';
import { asUnavailable } from './errors.ts';
import { migrateToLatest, type Engine } from './migrations.ts';
import { describePostgresUrl, openPostgres } from './postgres.ts';
import type { Schema } from './schema.ts';
import { openSqlite, SQLITE_FILE } from './sqlite.ts';

export { DatabaseUnavailable, type UnavailableReason } from './errors.ts';
export type { Engine } from './migrations.ts';
export type * from './schema.ts';
export * from './classes.ts';
export * from './learners.ts';
export * from './lti.ts';
export * from './lti-links.ts';
export * from './lti-grades.ts';
export * from './runs.ts';
export * from './tokens.ts';

/** An open database: the query builder, which engine serves it, and how to let it go. */
export interface Database {
  db: Kysely<Schema>;
  engine: Engine;
  /** Where it is, without secrets: the SQLite file, or host:port/name. */
  where: string;
  close(): Promise<void>;
}

/** Where to open; unset fields come from HANDSHAKE_DATABASE_URL and HANDSHAKE_DATA_DIR. */
export interface OpenOptions {
  /** A postgres:// URL; without one, SQLite in `dataDir`. */
  url?: string;
  dataDir?: string;
  /** How long SQLite waits for another writer's lock, or PostgreSQL for a connection (5 s). */
  busyTimeoutMs?: number;
}

const DEFAULT_WAIT_MS = 5000;

/** The database file: a runtime location, which the build must not try to trace. */
function sqlitePath(dataDir: string): string {
  return path.join(
    /* turbopackIgnore: true */ path.resolve(/* turbopackIgnore: true */ dataDir),
    SQLITE_FILE,
  );
}

/**
 * Opens the database (SQLite `<dataDir>/handshake.sqlite`, created on first use, or PostgreSQL
 * at `url`) and migrates it to the latest schema; throws DatabaseUnavailable naming the file or
 * host when it cannot be reached, written or locked.
 */
export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const { url, dataDir } = resolveOptions(options);
  const wait = options.busyTimeoutMs ?? DEFAULT_WAIT_MS;
  const engine: Engine = url ? 'postgres' : 'sqlite';
  const where = url ? describePostgresUrl(url) : sqlitePath(dataDir);
  const dialect = url ? openPostgres(url, wait) : openSqlite(dataDir, wait);
  // Each query's duration feeds the app's /metrics (handshake_app_db_seconds).
  const db = new Kysely<Schema>({ dialect, log: observeQueries(engine) });
  try {
    await migrateToLatest(db, engine);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw asUnavailable(error, where);
  }
  return { db, engine, where, close: () => db.destroy() };
}

function resolveOptions(options: OpenOptions): { url: string | undefined; dataDir: string } {
  if (options.url !== undefined || options.dataDir !== undefined) {
    if (options.url && !/^postgres(ql)?:\/\//.test(options.url))
      throw new Error(
        `openDatabase: url must be a postgres:// URL, not ${options.url.split(':')[0]}:…`,
      );
    return { url: options.url || undefined, dataDir: options.dataDir ?? 'data' };
  }
  const config = loadDatabaseConfig();
  return { url: config.databaseUrl, dataDir: config.dataDir };
}
