/**
 * kill -9 in the middle of a burst of writes: the database reopens intact (SQLite's
 * integrity_check) and every progress row agrees with the runs recorded for it, on both engines.
 */
import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../lib/server/db/index.ts';
import { ENGINES, makeUser, testTarget, type TestTarget } from './engines.ts';

/** Starts the burst writer and SIGKILLs it once `atLeast` runs are committed; resolves that count. */
function killMidBurst(where: string, userId: string, atLeast: number): Promise<number> {
  const child = spawn(
    process.execPath,
    [new URL('./burst-writer.ts', import.meta.url).pathname, where, userId],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let committed = 0;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = chunk.toString().trim().split('\n');
      committed = Number(lines.at(-1));
      if (committed >= atLeast && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL'
        ? resolve(committed)
        : reject(new Error(`writer exited ${code}: ${stderr}`)),
    );
  });
}

interface RunRow {
  id: string;
  learner_id: string;
  lesson_id: string;
  outcome: string;
  finished_at: string;
}

/** Progress as it must be, recomputed from the runs alone. */
function expectedProgress(runs: RunRow[]) {
  const byCell = new Map<string, RunRow[]>();
  for (const run of runs) {
    const key = `${run.learner_id}/${run.lesson_id}`;
    byCell.set(key, [...(byCell.get(key) ?? []), run]);
  }
  return [...byCell].map(([key, cell]) => {
    cell.sort((a, b) => a.finished_at.localeCompare(b.finished_at));
    const passes = cell.filter((r) => r.outcome === 'passed');
    const lastPass = cell.findLastIndex((r) => r.outcome === 'passed');
    return {
      key,
      status: passes.length > 0 ? 'passed' : 'started',
      attempts: cell.length,
      failed_since_pass: cell
        .slice(lastPass + 1)
        .filter((r) => ['failed', 'error'].includes(r.outcome)).length,
      first_passed_at: passes[0]?.finished_at ?? null,
      last_run_id: cell.at(-1)!.id,
    };
  });
}

describe.each(ENGINES)('kill -9 mid-burst on %s', (engine) => {
  let target: TestTarget;
  let database: Database;

  beforeAll(async () => {
    target = await testTarget(engine);
  });
  afterAll(async () => {
    await database?.close();
    await target.cleanup();
  });

  it('reopens consistent: intact file, every progress row matching its runs', async () => {
    const setup = await openDatabase(target.options);
    const userId = await makeUser(setup);
    await setup.close();
    const committed = await killMidBurst(target.options.url ?? target.options.dataDir!, userId, 60);

    database = await openDatabase(target.options);
    if (engine === 'sqlite') {
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
        database.db,
      );
      expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
    }
    const runs = await database.db
      .selectFrom('runs')
      .select(['id', 'learner_id', 'lesson_id', 'outcome', 'finished_at'])
      .execute();
    // Everything the writer saw committed survived the kill (and maybe the run in flight).
    expect(runs.length).toBeGreaterThanOrEqual(committed);
    const progress = await database.db
      .selectFrom('progress')
      .select([
        'learner_id',
        'lesson_id',
        'status',
        'attempts',
        'failed_since_pass',
        'first_passed_at',
        'last_run_id',
      ])
      .execute();
    const actual = progress
      .map(({ learner_id, lesson_id, ...rest }) => ({ key: `${learner_id}/${lesson_id}`, ...rest }))
      .sort((a, b) => a.key.localeCompare(b.key));
    expect(actual).toEqual(expectedProgress(runs).sort((a, b) => a.key.localeCompare(b.key)));
  });
});
