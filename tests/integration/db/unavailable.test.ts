/**
 * A database that cannot serve surfaces as DatabaseUnavailable naming the file or host: a data
 * dir that cannot be made or written, a file locked by another process, a PostgreSQL nobody
 * answers. And two replicas starting at once on one PostgreSQL migrate it once.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailable, openDatabase, useTokenOnce } from '../../../lib/server/db/index.ts';
import { testTarget } from './engines.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'handshake-db-unavailable-'));
// The read-only test's unprivileged child must reach its data dir.
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What openDatabase threw, as a plain object (it must be a DatabaseUnavailable). */
async function failure(options: Parameters<typeof openDatabase>[0]) {
  const error = await openDatabase(options).then(
    (database) => database.close().then(() => undefined),
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(DatabaseUnavailable);
  const { reason, where, message } = error as DatabaseUnavailable;
  return { reason, where, message };
}

describe('SQLite that cannot serve', () => {
  it('creates the data dir 0700 on first start', async () => {
    const dataDir = path.join(scratch, 'fresh', 'data');
    const database = await openDatabase({ dataDir });
    await database.close();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('names the path when the data dir cannot be made', async () => {
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, '');
    const { reason, message } = await failure({ dataDir: path.join(file, 'data') });
    expect(reason).toBe('cannot-open');
    expect(message).toContain(path.join(file, 'data'));
  });

  it('names the path when the data dir is read-only', async () => {
    const dataDir = path.join(scratch, 'read-only');
    await (await openDatabase({ dataDir })).close();
    chmodSync(dataDir, 0o500);
    chmodSync(path.join(dataDir, 'handshake.sqlite'), 0o400);
    // Root writes anywhere: try as nobody, who owns nothing here, in a child process.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(dataDir, 0o555);
    const probe = `import('${new URL('../../../lib/server/db/index.ts', import.meta.url).pathname}').then(m => m.openDatabase({ dataDir: '${dataDir}' })).then(() => console.log('{}'), (e) => console.log(JSON.stringify({ name: e.name, reason: e.reason, message: e.message })))`;
    const command = asRoot
      ? [
          '/usr/bin/setpriv',
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          process.execPath,
          '-e',
          probe,
        ]
      : [process.execPath, '-e', probe];
    const { stdout } = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', cwd: scratch });
    const reported = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      name?: string;
      reason?: string;
      message?: string;
    };
    expect(reported.name).toBe('DatabaseUnavailable');
    expect(['read-only', 'cannot-open']).toContain(reported.reason);
    expect(reported.message).toContain(path.join(dataDir, 'handshake.sqlite'));
  });

  it('says the file stayed locked when another process holds it past the busy timeout', async () => {
    const dataDir = path.join(scratch, 'locked');
    const database = await openDatabase({ dataDir, busyTimeoutMs: 200 });
    const other = new DatabaseSync(path.join(dataDir, 'handshake.sqlite'));
    other.exec('BEGIN EXCLUSIVE');
    try {
      const during = await useTokenOnce(database.db, 'j', Date.now() + 1000).catch(
        (e: unknown) => e,
      );
      expect(during).toBeInstanceOf(DatabaseUnavailable);
      expect((during as DatabaseUnavailable).reason).toBe('locked');
      expect((await failure({ dataDir, busyTimeoutMs: 200 })).reason).toBe('locked');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await useTokenOnce(database.db, 'j', Date.now() + 1000)).toBe(true);
    await database.close();
  });
});

describe('PostgreSQL that cannot serve', () => {
  it('names host and port when nothing answers', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const { reason, message } = await failure({
      url: `postgres://someone:secret@127.0.0.1:${port}/handshake`,
    });
    expect(reason).toBe('unreachable');
    expect(message).toContain(`127.0.0.1:${port}/handshake`);
    expect(message).not.toContain('secret');
  });

  it('migrates once when two replicas start at once', async () => {
    const target = await testTarget('postgres');
    try {
      const replicas = await Promise.all([1, 2, 3].map(() => openDatabase(target.options)));
      const migrations = await sql<{ name: string }>`select name from handshake_migrations`.execute(
        replicas[0]!.db,
      );
      expect(migrations.rows).toEqual([
        { name: '0001-classroom' },
        { name: '0002-lti' },
        { name: '0003-lti-links' },
      ]);
      await Promise.all(replicas.map((replica) => replica.close()));
    } finally {
      await target.cleanup();
    }
  });
});
