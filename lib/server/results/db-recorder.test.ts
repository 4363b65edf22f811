/**
 * The internal endpoints over the real data layer (SQLite in a temp dir): a posted run lands in
 * `runs` and `progress` once, and a token id is fresh once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClass,
  createLearner,
  latestRun,
  openDatabase,
  progressOf,
  type Database,
} from '../db/index.ts';
import { appMetrics } from '../ops/app-metrics.ts';
import { deriveSecrets } from '../secrets.ts';
import { databaseRecorder } from './app-context.ts';
import { handleRecordRun, handleTokenUse } from './internal-routes.ts';
import { INTERNAL_SECRET_HEADER } from './schema.ts';
import { sampleRun } from './test-support.ts';

const { internalSecret: secret } = deriveSecrets('m'.repeat(40));
let dir: string;
let database: Database;
let ids: { learnerId: string; classId: string };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handshake-results-'));
  database = await openDatabase({ dataDir: dir });
  const now = new Date().toISOString();
  await database.db
    .insertInto('user')
    .values({
      id: 'u1',
      name: 'Ada',
      email: 'ada@example.org',
      emailVerified: 0,
      image: null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  const created = await createClass(database.db, { name: 'Networks', createdBy: 'u1' });
  const classId = typeof created === 'string' ? created : (created as { id: string }).id;
  const learner = await createLearner(database.db, { classId, nickname: 'Grace' });
  ids = { learnerId: (learner as { id: string }).id, classId };
});

afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (pathname: string, body: unknown) =>
  new Request(`http://127.0.0.1:3000${pathname}`, {
    method: 'POST',
    headers: { [INTERNAL_SECRET_HEADER]: secret },
    body: JSON.stringify(body),
  });

describe('internal endpoints over the data layer', () => {
  it('records a run and its progress once, and a retried post is a duplicate', async () => {
    const deps = { secret, recorder: databaseRecorder(async () => database.db) };
    const run = sampleRun({ id: 'run_abcdefghijklmnopqrstuv', ...ids });
    const recordedBefore = (await appMetrics().runsRecorded.get()).values[0]?.value ?? 0;
    const first = await handleRecordRun(post('/api/internal/runs', run), deps);
    expect(await first.json()).toEqual({ result: 'recorded' });
    const again = await handleRecordRun(post('/api/internal/runs', run), deps);
    expect(await again.json()).toEqual({ result: 'duplicate' });
    // Counted for /metrics once: the duplicate recorded nothing.
    expect((await appMetrics().runsRecorded.get()).values[0]?.value).toBe(recordedBefore + 1);
    expect(await latestRun(database.db, ids.learnerId, 'tcp-client')).toMatchObject({
      id: run.id,
      outcome: 'passed',
    });
    const progress = await progressOf(database.db, ids.learnerId);
    expect(progress).toMatchObject([{ lessonId: 'tcp-client', status: 'passed', attempts: 1 }]);
  });

  it('marks a token id used once', async () => {
    const deps = { secret, recorder: databaseRecorder(async () => database.db) };
    const use = { jti: 'jti_db_1', expiresAt: new Date(Date.now() + 60_000).toISOString() };
    const answers = [];
    for (let i = 0; i < 2; i += 1)
      answers.push(
        await (await handleTokenUse(post('/api/internal/token-uses', use), deps)).json(),
      );
    expect(answers).toEqual([{ fresh: true }, { fresh: false }]);
  });
});
