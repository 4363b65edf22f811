/**
 * The repository functions, one suite run on both engines: embedded SQLite and PostgreSQL.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addInstructor,
  archiveClass,
  classesOf,
  classProgress,
  createClass,
  createLearner,
  createLearnerSession,
  findClassByCode,
  latestRun,
  learnerBySessionToken,
  learnerRuns,
  openDatabase,
  progressCsvRows,
  progressOf,
  recordRun,
  setClassLessons,
  useTokenOnce,
  type Database,
  type Learner,
  type RunRecord,
} from '../../../lib/server/db/index.ts';
import { JOIN_CODE_ALPHABET, hashToken } from '../../../lib/server/db/ids.ts';
import { ENGINES, makeUser, openTestDatabase, type TestTarget } from './engines.ts';

let runCounter = 0;

/** A run of `learner` on `lessonId` finishing `minute` minutes into the day. */
function run(
  learner: Learner,
  lessonId: string,
  outcome: RunRecord['outcome'],
  minute: number,
): RunRecord {
  const finished = new Date(Date.UTC(2026, 0, 1, 9, minute));
  return {
    id: `run-${++runCounter}-${Math.random().toString(36).slice(2)}`,
    learnerId: learner.id,
    classId: learner.classId,
    lessonId,
    startedAt: new Date(finished.getTime() - 1500).toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: 1500,
    outcome,
    checks: [{ id: 'replies', status: outcome === 'passed' ? 'pass' : 'fail', message: 'm' }],
    code: [{ name: 'server.py', content: `# minute ${minute}\n` }],
    output: { server: `out ${minute}` },
  };
}

describe.each(ENGINES)('the data layer on %s', (engine) => {
  let database: Database;
  let cleanup: () => Promise<void>;
  let target: TestTarget;
  let owner: string;

  beforeAll(async () => {
    ({ database, cleanup, target } = await openTestDatabase(engine));
    owner = await makeUser(database);
  });
  afterAll(() => cleanup());

  /** A class with lessons a and b and one learner per nickname. */
  async function classWith(...nicknames: string[]) {
    const klass = await createClass(database.db, {
      name: 'Net 101',
      createdBy: owner,
      lessonIds: ['a', 'b'],
    });
    const learners: Learner[] = [];
    for (const nickname of nicknames) {
      const learner = await createLearner(database.db, { classId: klass.id, nickname });
      if (typeof learner === 'string') throw new Error(learner);
      learners.push(learner);
    }
    return { klass, learners };
  }

  it('migrates once: reopening finds the schema and runs no migration again', async () => {
    expect(database.engine).toBe(engine);
    const again = await openDatabase(target.options);
    await again.close();
    const migrations = await sql<{ name: string }>`select name from handshake_migrations`.execute(
      database.db,
    );
    expect(migrations.rows.map((row) => row.name)).toEqual([
      '0001-classroom',
      '0002-lti',
      '0003-lti-links',
    ]);
  });

  it('creates a class with a readable join code, its creator as owner, and its lessons', async () => {
    const klass = await createClass(database.db, {
      name: 'Sockets',
      createdBy: owner,
      lessonIds: ['x', 'y', 'x'],
    });
    expect(klass.joinCode).toMatch(new RegExp(`^[${JOIN_CODE_ALPHABET}]{8}$`));
    const mine = (await classesOf(database.db, owner)).find((c) => c.id === klass.id);
    expect(mine).toMatchObject({
      name: 'Sockets',
      role: 'owner',
      lessonIds: ['x', 'y'],
      archivedAt: null,
    });
  });

  it('finds a class by its code however it is typed, and not once archived', async () => {
    const { klass } = await classWith();
    const typed = klass.joinCode.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    expect((await findClassByCode(database.db, `${typed.slice(0, 4)}-${typed.slice(4)}`))?.id).toBe(
      klass.id,
    );
    expect(await findClassByCode(database.db, 'ZZZZ')).toBeUndefined();
    expect(await archiveClass(database.db, klass.id)).toBe(true);
    expect(await findClassByCode(database.db, klass.joinCode)).toBeUndefined();
    expect(await archiveClass(database.db, 'no-such-class')).toBe(false);
  });

  it('orders and replaces a class’s lessons, and adds co-instructors once', async () => {
    const { klass } = await classWith();
    await setClassLessons(database.db, klass.id, ['c', 'a', 'b']);
    const co = await makeUser(database);
    expect(await addInstructor(database.db, klass.id, co)).toBe('added');
    expect(await addInstructor(database.db, klass.id, co)).toBe('exists');
    const theirs = await classesOf(database.db, co);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({ id: klass.id, role: 'co', lessonIds: ['c', 'a', 'b'] });
  });

  it('keeps nicknames unique per class regardless of case and width', async () => {
    const { klass } = await classWith('Ann');
    expect(await createLearner(database.db, { classId: klass.id, nickname: 'ＡＮＮ' })).toBe(
      'taken',
    );
    expect(await createLearner(database.db, { classId: klass.id, nickname: '  ' })).toBe('invalid');
    expect(await createLearner(database.db, { classId: klass.id, nickname: 'x'.repeat(41) })).toBe(
      'invalid',
    );
    const other = await classWith('Ann');
    expect(other.learners[0]!.nickname).toBe('Ann');
  });

  it('opens a learner session by token, storing only its hash, until it expires', async () => {
    const { learners } = await classWith('Bo');
    const { token, expiresAt } = await createLearnerSession(database.db, learners[0]!.id);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    expect((await learnerBySessionToken(database.db, token))?.id).toBe(learners[0]!.id);
    const stored = await database.db
      .selectFrom('learner_sessions')
      .select('token_hash')
      .where('learner_id', '=', learners[0]!.id)
      .execute();
    expect(stored).toEqual([{ token_hash: hashToken(token) }]);
    const expired = await createLearnerSession(database.db, learners[0]!.id, -1000);
    expect(await learnerBySessionToken(database.db, expired.token)).toBeUndefined();
    expect(await learnerBySessionToken(database.db, 'forged')).toBeUndefined();
  });

  it('records a run once: a retried post is a duplicate and counts nothing', async () => {
    const { learners } = await classWith('Cy');
    const first = run(learners[0]!, 'a', 'failed', 1);
    expect(await recordRun(database.db, first)).toBe('recorded');
    expect(await recordRun(database.db, first)).toBe('duplicate');
    expect((await progressOf(database.db, learners[0]!.id))[0]).toMatchObject({
      attempts: 1,
      status: 'started',
      failedSincePass: 1,
    });
  });

  it('adds runs up to progress: attempts, first pass, failures since the pass, last code', async () => {
    const { learners } = await classWith('Di');
    const di = learners[0]!;
    const runs = [
      run(di, 'a', 'failed', 1),
      run(di, 'a', 'error', 2),
      run(di, 'a', 'passed', 3),
      run(di, 'a', 'stopped', 4),
      run(di, 'a', 'failed', 5),
    ];
    for (const r of runs) await recordRun(database.db, r);
    // A retry delivers an older run last: it counts, but the last run stays the latest one.
    await recordRun(database.db, run(di, 'a', 'passed', 0));
    const [progress] = await progressOf(database.db, di.id);
    expect(progress).toEqual({
      learnerId: di.id,
      lessonId: 'a',
      classId: di.classId,
      status: 'passed',
      attempts: 6,
      failedSincePass: 0,
      firstPassedAt: new Date(Date.UTC(2026, 0, 1, 9, 0)).toISOString(),
      lastRunAt: runs[4]!.finishedAt,
      lastRunId: runs[4]!.id,
      lastCode: runs[4]!.code,
    });
  });

  it('counts failures since the last pass', async () => {
    const { learners } = await classWith('Ed');
    for (const [minute, outcome] of [
      [1, 'passed'],
      [2, 'failed'],
      [3, 'stopped'],
      [4, 'error'],
    ] as const)
      await recordRun(database.db, run(learners[0]!, 'b', outcome, minute));
    expect((await progressOf(database.db, learners[0]!.id))[0]).toMatchObject({
      status: 'passed',
      failedSincePass: 2,
      attempts: 4,
    });
  });

  it('reads a learner’s runs newest first, and the latest one', async () => {
    const { learners } = await classWith('Flo');
    const flo = learners[0]!;
    const runs = [
      run(flo, 'a', 'failed', 1),
      run(flo, 'a', 'passed', 2),
      run(flo, 'b', 'failed', 3),
    ];
    for (const r of runs) await recordRun(database.db, r);
    const listed = await learnerRuns(database.db, flo.id, 'a', 10);
    expect(listed.map((r) => r.id)).toEqual([runs[1]!.id, runs[0]!.id]);
    expect(listed[0]).toEqual(runs[1]);
    expect(await learnerRuns(database.db, flo.id, 'a', 1)).toHaveLength(1);
    expect((await latestRun(database.db, flo.id, 'b'))?.id).toBe(runs[2]!.id);
    expect(await latestRun(database.db, flo.id, 'zzz')).toBeUndefined();
  });

  it('keeps the last 16 KiB of each process’s output and refuses code over 256 KiB', async () => {
    const { learners } = await classWith('Gil');
    const big = {
      ...run(learners[0]!, 'a', 'failed', 1),
      output: { server: 'é'.repeat(20_000) + 'END' },
    };
    await recordRun(database.db, big);
    const kept = (await latestRun(database.db, learners[0]!.id, 'a'))!.output.server!;
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(16 * 1024);
    expect(kept.endsWith('éEND')).toBe(true);
    const huge = {
      ...run(learners[0]!, 'a', 'failed', 2),
      code: [{ name: 'a.py', content: 'x'.repeat(300_000) }],
    };
    await expect(recordRun(database.db, huge)).rejects.toThrow(RangeError);
    expect(await learnerRuns(database.db, learners[0]!.id, 'a', 10)).toHaveLength(1);
  });

  it('refuses a run of a learner who does not exist', async () => {
    const { klass } = await classWith();
    const ghost = { id: 'ghost', classId: klass.id, nickname: 'g', createdAt: '', lastSeenAt: '' };
    await expect(recordRun(database.db, run(ghost, 'a', 'passed', 1))).rejects.toThrow();
    expect(await learnerRuns(database.db, 'ghost', 'a', 5)).toEqual([]);
  });

  it('counts every run when one learner’s runs are recorded at once', async () => {
    const { learners } = await classWith('Hal');
    const runs = Array.from({ length: 20 }, (_, i) =>
      run(learners[0]!, 'a', i === 7 ? 'passed' : 'failed', i),
    );
    const results = await Promise.all(runs.map((r) => recordRun(database.db, r)));
    expect(results.every((r) => r === 'recorded')).toBe(true);
    expect((await progressOf(database.db, learners[0]!.id))[0]).toMatchObject({
      attempts: 20,
      status: 'passed',
      lastRunId: runs[19]!.id,
    });
  });

  it('grids a class: learners by nickname × lessons in order, empty cells for lessons not run', async () => {
    const { klass, learners } = await classWith('zed', 'Amy');
    await recordRun(database.db, run(learners[0]!, 'b', 'passed', 1));
    const grid = await classProgress(database.db, klass.id);
    expect(grid.lessonIds).toEqual(['a', 'b']);
    expect(grid.learners.map((l) => l.nickname)).toEqual(['Amy', 'zed']);
    expect(grid.learners[0]!.cells).toEqual([null, null]);
    expect(grid.learners[1]!.cells).toEqual([
      null,
      {
        status: 'passed',
        attempts: 1,
        failedSincePass: 0,
        lastRunAt: expect.any(String),
        firstPassedAt: expect.any(String),
      },
    ]);
    const rows = await progressCsvRows(database.db, klass.id);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({
      nickname: 'Amy',
      lessonId: 'a',
      status: 'not started',
      attempts: 0,
      failedSincePass: 0,
      firstPassedAt: '',
      lastRunAt: '',
    });
    expect(rows[3]).toMatchObject({
      nickname: 'zed',
      lessonId: 'b',
      status: 'passed',
      attempts: 1,
    });
  });

  it('accepts a run token id once, and prunes expired ones', async () => {
    const inMinute = Date.now() + 60_000;
    expect(await useTokenOnce(database.db, 'jti-1', inMinute)).toBe(true);
    expect(await useTokenOnce(database.db, 'jti-1', inMinute)).toBe(false);
    await useTokenOnce(database.db, 'jti-old', Date.now() - 1000);
    await useTokenOnce(database.db, 'jti-2', inMinute);
    const left = await database.db.selectFrom('token_uses').select('jti').orderBy('jti').execute();
    expect(left.map((row) => row.jti)).toEqual(['jti-1', 'jti-2']);
  });
});
