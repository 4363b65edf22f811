/**
 * A SQLite database with the tables this module needs, through node:sqlite and Better Auth's
 * Kysely dialect for it. Tests open one in memory; until lib/server/db's `openDatabase` lands on
 * this branch, the app opens its file with it too.
 */
import { DatabaseSync } from 'node:sqlite';
import { NodeSqliteDialect } from '@better-auth/kysely-adapter/node-sqlite-dialect';
import { Kysely, sql } from 'kysely';
import { createAuthTables, type AuthDb } from './tables.ts';

/** Opens (creating) a SQLite file, or ':memory:', with Better Auth's and the classroom tables. */
export async function openAuthSqlite(
  file: string,
): Promise<{ db: AuthDb; close(): Promise<void> }> {
  const database = new DatabaseSync(file);
  database.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  const db = new Kysely<unknown>({ dialect: new NodeSqliteDialect({ database }) });
  await createAuthTables(db, 'sqlite');
  await createClassroomTables(db);
  return { db: db as AuthDb, close: () => db.destroy() };
}

/** The classroom tables of CONTRACT-11 that this module touches, as lib/server/db defines them. */
async function createClassroomTables(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create table if not exists classes (id text primary key, name text not null,
      join_code text not null unique, password_hash text, created_by text not null references "user"(id),
      created_at text not null, archived_at text)`,
    sql`create table if not exists class_instructors (class_id text not null references classes(id) on delete cascade,
      user_id text not null references "user"(id) on delete cascade, role text not null, added_at text not null,
      primary key (class_id, user_id))`,
    sql`create table if not exists class_lessons (class_id text not null references classes(id) on delete cascade,
      lesson_id text not null, position integer not null, primary key (class_id, lesson_id))`,
    sql`create table if not exists learners (id text primary key, class_id text not null references classes(id) on delete cascade,
      nickname text not null, nickname_key text not null, created_at text not null, last_seen_at text not null,
      unique (class_id, nickname_key))`,
    sql`create table if not exists learner_sessions (token_hash text primary key,
      learner_id text not null references learners(id) on delete cascade, created_at text not null, expires_at text not null)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
