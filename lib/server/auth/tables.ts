/**
 * The tables this module reads and writes. Better Auth's own (`user`, `session`, `account`,
 * `verification`, `rateLimit`) are created by `createAuthTables`, a migration step for the one
 * migration chain in lib/server/db; the classroom tables follow CONTRACT-11's schema, and
 * `ClassroomTables` names only the columns used here.
 */
import { sql, type Kysely } from 'kysely';

/** Which SQL engine a database runs on. */
export type Engine = 'sqlite' | 'postgres';

export interface ClassroomTables {
  user: { id: string; name: string; email: string; createdAt: unknown };
  rateLimit: { id: string; key: string; count: number; lastRequest: number | string };
  classes: {
    id: string;
    name: string;
    join_code: string;
    password_hash: string | null;
    created_by: string;
    created_at: string;
    archived_at: string | null;
  };
  class_instructors: { class_id: string; user_id: string; role: 'owner' | 'co'; added_at: string };
  class_lessons: { class_id: string; lesson_id: string; position: number };
  learners: {
    id: string;
    class_id: string;
    nickname: string;
    nickname_key: string;
    created_at: string;
    last_seen_at: string;
  };
  learner_sessions: {
    token_hash: string;
    learner_id: string;
    created_at: string;
    expires_at: string;
  };
}

/** The database handle every function here takes. */
export type AuthDb = Kysely<ClassroomTables>;

/**
 * Creates Better Auth's tables in the shapes it expects (as its own `getMigrations` would, with
 * real timestamps on PostgreSQL); idempotent, so it can run inside any migration.
 */
export async function createAuthTables(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const time = engine === 'postgres' ? sql`timestamptz` : sql`date`;
  const flag = engine === 'postgres' ? sql`boolean` : sql`integer`;
  await db.schema
    .createTable('user')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('emailVerified', flag, (c) => c.notNull())
    .addColumn('image', 'text')
    .addColumn('createdAt', time, (c) => c.notNull())
    .addColumn('updatedAt', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('session')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('expiresAt', time, (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('createdAt', time, (c) => c.notNull())
    .addColumn('updatedAt', time, (c) => c.notNull())
    .addColumn('ipAddress', 'text')
    .addColumn('userAgent', 'text')
    .addColumn('userId', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .execute();
  await db.schema
    .createTable('account')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('providerId', 'text', (c) => c.notNull())
    .addColumn('userId', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('accessToken', 'text')
    .addColumn('refreshToken', 'text')
    .addColumn('idToken', 'text')
    .addColumn('accessTokenExpiresAt', time)
    .addColumn('refreshTokenExpiresAt', time)
    .addColumn('scope', 'text')
    .addColumn('password', 'text')
    .addColumn('createdAt', time, (c) => c.notNull())
    .addColumn('updatedAt', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('verification')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('expiresAt', time, (c) => c.notNull())
    .addColumn('createdAt', time, (c) => c.notNull())
    .addColumn('updatedAt', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('rateLimit')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('lastRequest', 'bigint', (c) => c.notNull())
    .execute();
  for (const [index, table, column] of [
    ['session_userId_idx', 'session', 'userId'],
    ['account_userId_idx', 'account', 'userId'],
    ['verification_identifier_idx', 'verification', 'identifier'],
  ] as const) {
    await db.schema.createIndex(index).ifNotExists().on(table).column(column).execute();
  }
}
