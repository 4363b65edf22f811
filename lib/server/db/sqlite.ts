/**
 * The embedded engine: one SQLite file in the data directory through Node's built-in node:sqlite
 * (no native build), in WAL mode so readers never wait for the writer. node:sqlite stays behind
 * this one module.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { NodeSqliteDialect } from '@better-auth/kysely-adapter/node-sqlite-dialect';
import { SqliteAdapter, type Dialect } from 'kysely';
import { asUnavailable } from './errors.ts';
import { GuardedDialect } from './guarded-dialect.ts';

/** The database file's name inside the data directory. */
export const SQLITE_FILE = 'handshake.sqlite';

/** SQLite runs DDL inside transactions, so a migration cut short leaves nothing half-made. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Runs `work` on the file at `where`, turning an unavailable database into DatabaseUnavailable. */
function guarded<T>(where: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asUnavailable(error, where);
  }
}

/**
 * Opens (creating it and its directory, mode 0700, when missing) `<dataDir>/handshake.sqlite`
 * and proves it writable; throws DatabaseUnavailable naming the path when it cannot.
 */
export function openSqlite(dataDir: string, busyTimeoutMs: number): Dialect {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, SQLITE_FILE);
  guarded(dir, () => mkdirSync(dir, { recursive: true, mode: 0o700 }));
  const database = guarded(file, () => new DatabaseSync(file));
  try {
    guarded(file, () => {
      database.exec(`PRAGMA busy_timeout = ${Math.round(busyTimeoutMs)}`);
      database.exec('PRAGMA journal_mode = WAL');
      // With WAL, NORMAL loses at most the last commits on power loss, never consistency.
      database.exec('PRAGMA synchronous = NORMAL');
      database.exec('PRAGMA foreign_keys = ON');
      // SQLite opens a file it may not write read-only without a word: find out now.
      database.exec('BEGIN IMMEDIATE; ROLLBACK');
    });
  } catch (error) {
    database.close();
    throw error;
  }
  return new GuardedDialect(new NodeSqliteDialect({ database }), file, {
    adapter: new TransactionalSqliteAdapter(),
    begin: 'begin immediate',
  });
}
