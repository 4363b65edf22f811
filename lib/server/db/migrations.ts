/**
 * The one migration chain of both engines, run to the latest by openDatabase. Migrations are
 * append-only: never edit one that has shipped, add the next. Kysely records what ran in
 * `handshake_migrations`; on PostgreSQL it holds an advisory lock while migrating, so replicas
 * starting at once migrate once.
 */
import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { DatabaseUnavailable } from './errors.ts';
import { ltiLinkTables } from './lti-links-migration.ts';
import { ltiTables } from './lti-migration.ts';

/** Which engine a migration is written for: Better Auth's tables differ in column types. */
export type Engine = 'sqlite' | 'postgres';

// Kysely's migrations take Kysely<any>: the schema they build is not yet the typed Schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Better Auth's tables, typed as its own migration generator types them for each engine. */
async function authTables(db: AnyDb, engine: Engine): Promise<void> {
  const date = engine === 'postgres' ? 'timestamptz' : 'date';
  const bool = engine === 'postgres' ? 'boolean' : 'integer';
  const now = sql`CURRENT_TIMESTAMP`;
  // Better Auth gives its creation times a database default on PostgreSQL only.
  const colDefault = (col: ColumnDefinitionBuilder) =>
    engine === 'postgres' ? col.notNull().defaultTo(now) : col.notNull();
  await db.schema
    .createTable('user')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('emailVerified', bool, (c) => c.notNull())
    .addColumn('image', 'text')
    .addColumn('createdAt', date, colDefault)
    .addColumn('updatedAt', date, colDefault)
    .execute();
  await db.schema
    .createTable('session')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('expiresAt', date, (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('createdAt', date, colDefault)
    .addColumn('updatedAt', date, (c) => c.notNull())
    .addColumn('ipAddress', 'text')
    .addColumn('userAgent', 'text')
    .addColumn('userId', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .execute();
  await db.schema
    .createTable('account')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('providerId', 'text', (c) => c.notNull())
    .addColumn('userId', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('accessToken', 'text')
    .addColumn('refreshToken', 'text')
    .addColumn('idToken', 'text')
    .addColumn('accessTokenExpiresAt', date)
    .addColumn('refreshTokenExpiresAt', date)
    .addColumn('scope', 'text')
    .addColumn('password', 'text')
    .addColumn('createdAt', date, colDefault)
    .addColumn('updatedAt', date, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('verification')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('expiresAt', date, (c) => c.notNull())
    .addColumn('createdAt', date, colDefault)
    .addColumn('updatedAt', date, colDefault)
    .execute();
  await db.schema
    .createTable('rateLimit')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('lastRequest', 'bigint', (c) => c.notNull())
    .execute();
  // Better Auth's index names, so its schema check finds them.
  await db.schema.createIndex('session_userId_idx').on('session').column('userId').execute();
  await db.schema.createIndex('account_userId_idx').on('account').column('userId').execute();
  await db.schema
    .createIndex('verification_identifier_idx')
    .on('verification')
    .column('identifier')
    .execute();
}

/** Classes, their instructors and lessons. */
async function classTables(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('classes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('join_code', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'text')
    .execute();
  await db.schema
    .createTable('class_instructors')
    .addColumn('class_id', 'text', (c) => c.notNull().references('classes.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'co')`))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('class_instructors_pk', ['class_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('class_instructors_user_idx')
    .on('class_instructors')
    .column('user_id')
    .execute();
  await db.schema
    .createTable('class_lessons')
    .addColumn('class_id', 'text', (c) => c.notNull().references('classes.id').onDelete('cascade'))
    .addColumn('lesson_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('class_lessons_pk', ['class_id', 'lesson_id'])
    .execute();
}

/** Learners and their sessions. */
async function learnerTables(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('learners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('class_id', 'text', (c) => c.notNull().references('classes.id').onDelete('cascade'))
    .addColumn('nickname', 'text', (c) => c.notNull())
    .addColumn('nickname_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('learners_class_nickname_key', ['class_id', 'nickname_key'])
    .execute();
  await db.schema
    .createTable('learner_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('learner_id', 'text', (c) =>
      c.notNull().references('learners.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('learner_sessions_learner_idx')
    .on('learner_sessions')
    .column('learner_id')
    .execute();
}

/** Runs, progress and run-token replay protection. */
async function runTables(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('learner_id', 'text', (c) =>
      c.notNull().references('learners.id').onDelete('cascade'),
    )
    .addColumn('class_id', 'text', (c) => c.notNull().references('classes.id').onDelete('cascade'))
    .addColumn('lesson_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) =>
      c.notNull().check(sql`outcome in ('passed', 'failed', 'error', 'stopped')`),
    )
    .addColumn('checks', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('output', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('runs_learner_lesson_idx')
    .on('runs')
    .columns(['learner_id', 'lesson_id', 'finished_at'])
    .execute();
  await db.schema.createIndex('runs_class_idx').on('runs').column('class_id').execute();
  await db.schema
    .createTable('progress')
    .addColumn('learner_id', 'text', (c) =>
      c.notNull().references('learners.id').onDelete('cascade'),
    )
    .addColumn('lesson_id', 'text', (c) => c.notNull())
    .addColumn('class_id', 'text', (c) => c.notNull().references('classes.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('started', 'passed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('failed_since_pass', 'integer', (c) => c.notNull())
    .addColumn('first_passed_at', 'text')
    .addColumn('last_run_at', 'text', (c) => c.notNull())
    .addColumn('last_run_id', 'text', (c) => c.notNull())
    .addColumn('last_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('progress_pk', ['learner_id', 'lesson_id'])
    .execute();
  await db.schema.createIndex('progress_class_idx').on('progress').column('class_id').execute();
  await db.schema
    .createTable('token_uses')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('token_uses_expires_idx')
    .on('token_uses')
    .column('expires_at')
    .execute();
}

/** Every migration, by name; names sort in the order they run. */
export function migrations(engine: Engine): Record<string, Migration> {
  return {
    '0001-classroom': {
      async up(db) {
        await authTables(db, engine);
        await classTables(db);
        await learnerTables(db);
        await runTables(db);
      },
    },
    '0002-lti': { up: ltiTables },
    '0003-lti-links': { up: ltiLinkTables },
  };
}

/** Migrates `db` to the latest migration; throws the first migration's error. */
export async function migrateToLatest(db: AnyDb, engine: Engine): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(engine) };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'handshake_migrations',
    migrationLockTableName: 'handshake_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error');
  if (failed && error instanceof Error && !(error instanceof DatabaseUnavailable))
    error.message = `migration ${failed.migrationName}: ${error.message}`;
  throw error;
}
