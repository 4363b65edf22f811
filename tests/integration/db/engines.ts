/**
 * Opens a fresh database of either engine for a test file: SQLite in a temp data dir, or a
 * database of its own on the test PostgreSQL (postgres-harness.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Database, type Engine } from '../../../lib/server/db/index.ts';
import { createTestDatabase } from './postgres-harness.ts';

export const ENGINES: Engine[] = ['sqlite', 'postgres'];

/** Where a fresh database of `engine` lives: pass it to openDatabase (or a child process). */
export interface TestTarget {
  engine: Engine;
  options: { url?: string; dataDir?: string };
  cleanup(): Promise<void>;
}

/** A fresh, empty place for a database of `engine`. */
export async function testTarget(engine: Engine): Promise<TestTarget> {
  if (engine === 'sqlite') {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'handshake-db-test-'));
    return {
      engine,
      options: { dataDir },
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const database = await createTestDatabase(inject('postgresClusterDir'));
  return { engine, options: { url: database.url }, cleanup: () => database.drop() };
}

/** A fresh database of `engine`, open and migrated, and how to close and remove it. */
export async function openTestDatabase(
  engine: Engine,
): Promise<{ database: Database; target: TestTarget; cleanup(): Promise<void> }> {
  const target = await testTarget(engine);
  const database = await openDatabase(target.options);
  return {
    database,
    target,
    cleanup: async () => {
      await database.close();
      await target.cleanup();
    },
  };
}

/** Inserts an instructor as Better Auth would (its user table), returning the id. */
export async function makeUser(database: Database, email?: string): Promise<string> {
  const id = `user-${Math.random().toString(36).slice(2)}`;
  const now = new Date();
  const stamp = database.engine === 'postgres' ? now : now.toISOString();
  await database.db
    .insertInto('user')
    .values({
      id,
      name: 'Instructor',
      email: email ?? `${id}@example.org`,
      emailVerified: database.engine === 'postgres' ? false : 0,
      image: null,
      createdAt: stamp,
      updatedAt: stamp,
    })
    .execute();
  return id;
}
