/**
 * Recorded runs and the progress they add up to. A run and its learner's progress row change in
 * one transaction, so progress always agrees with the runs, even after a crash.
 */
import { sql, type Kysely } from 'kysely';
import { classLessons } from './classes.ts';
import { learnersOf } from './learners.ts';
import type { ProgressStatus, RunOutcome, Schema } from './schema.ts';
import { isoTime } from './time.ts';

/** One check's verdict, as the sandbox reported it. */
export interface CheckVerdict {
  id: string;
  status: string;
  message: string;
}

/** One file of the learner's code. */
export interface CodeFile {
  name: string;
  content: string;
}

/** A finished run, as the sandbox posts it. */
export interface RunRecord {
  /** The sandbox's run id; recording it twice is harmless. */
  id: string;
  learnerId: string;
  classId: string;
  lessonId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outcome: RunOutcome;
  checks: CheckVerdict[];
  code: CodeFile[];
  /** Output per process; only the last 16 KiB of each is kept. */
  output: Record<string, string>;
}

/** The most code one run may store (JSON text). */
export const MAX_CODE_BYTES = 256 * 1024;
/** What is kept of each process's output. */
export const MAX_OUTPUT_BYTES_PER_PROCESS = 16 * 1024;

/** A learner's standing on one lesson. */
export interface ProgressRecord {
  learnerId: string;
  lessonId: string;
  classId: string;
  status: ProgressStatus;
  attempts: number;
  /** Runs that failed or erred since the last pass (all of them before the first). */
  failedSincePass: number;
  firstPassedAt: string | null;
  lastRunAt: string;
  lastRunId: string;
  lastCode: CodeFile[];
}

/** The last `maxBytes` bytes of `text` (UTF-8), never splitting a character. */
export function tailBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - maxBytes;
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString('utf8');
}

function storedOutput(output: Record<string, string>): string {
  const kept = Object.fromEntries(
    Object.entries(output).map(([name, text]) => [
      name,
      tailBytes(text, MAX_OUTPUT_BYTES_PER_PROCESS),
    ]),
  );
  return JSON.stringify(kept);
}

/** Whether an outcome counts against failedSincePass ('stopped' is the learner's own choice). */
const FAILURES: readonly RunOutcome[] = ['failed', 'error'];

/**
 * Records a finished run and updates its learner's progress in the same transaction;
 * 'duplicate' (and nothing changes) when a run with this id was recorded already. Throws a
 * RangeError when the code is over 256 KiB.
 */
export async function recordRun(
  db: Kysely<Schema>,
  run: RunRecord,
): Promise<'recorded' | 'duplicate'> {
  const code = JSON.stringify(run.code);
  if (Buffer.byteLength(code) > MAX_CODE_BYTES)
    throw new RangeError(`run ${run.id}: code is over ${MAX_CODE_BYTES} bytes`);
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('runs')
      .values({
        id: run.id,
        learner_id: run.learnerId,
        class_id: run.classId,
        lesson_id: run.lessonId,
        started_at: isoTime(run.startedAt),
        finished_at: isoTime(run.finishedAt),
        duration_ms: Math.max(0, Math.round(run.durationMs)),
        outcome: run.outcome,
        checks: JSON.stringify(run.checks),
        code,
        output: storedOutput(run.output),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) return 'duplicate';
    await addToProgress(trx, run, code);
    return 'recorded';
  });
}

/**
 * One upsert, so two runs of one learner recorded at once on PostgreSQL both count. Posts may
 * arrive out of order (retries): the last-run fields follow the latest finish, not the latest post.
 */
async function addToProgress(db: Kysely<Schema>, run: RunRecord, code: string): Promise<void> {
  const passed = run.outcome === 'passed';
  const finishedAt = isoTime(run.finishedAt);
  const failed = FAILURES.includes(run.outcome) ? 1 : 0;
  const newer = sql<boolean>`excluded.last_run_at >= progress.last_run_at`;
  await db
    .insertInto('progress')
    .values({
      learner_id: run.learnerId,
      lesson_id: run.lessonId,
      class_id: run.classId,
      status: passed ? 'passed' : 'started',
      attempts: 1,
      failed_since_pass: failed,
      first_passed_at: passed ? finishedAt : null,
      last_run_at: finishedAt,
      last_run_id: run.id,
      last_code: code,
    })
    .onConflict((oc) =>
      oc.columns(['learner_id', 'lesson_id']).doUpdateSet({
        status: sql`case when excluded.status = 'passed' then 'passed' else progress.status end`,
        attempts: sql`progress.attempts + 1`,
        failed_since_pass: passed ? 0 : sql`progress.failed_since_pass + ${failed}`,
        first_passed_at: sql`case
          when progress.first_passed_at is null then excluded.first_passed_at
          when excluded.first_passed_at is null then progress.first_passed_at
          when excluded.first_passed_at < progress.first_passed_at then excluded.first_passed_at
          else progress.first_passed_at end`,
        last_run_at: sql`case when ${newer} then excluded.last_run_at else progress.last_run_at end`,
        last_run_id: sql`case when ${newer} then excluded.last_run_id else progress.last_run_id end`,
        last_code: sql`case when ${newer} then excluded.last_code else progress.last_code end`,
      }),
    )
    .execute();
}

/** A recorded run as read back. */
export type StoredRun = RunRecord;

function toRun(row: Schema['runs']): StoredRun {
  return {
    id: row.id,
    learnerId: row.learner_id,
    classId: row.class_id,
    lessonId: row.lesson_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    outcome: row.outcome,
    checks: JSON.parse(row.checks) as CheckVerdict[],
    code: JSON.parse(row.code) as CodeFile[],
    output: JSON.parse(row.output) as Record<string, string>,
  };
}

/** A learner's runs of one lesson, latest first, at most `limit`. */
export async function learnerRuns(
  db: Kysely<Schema>,
  learnerId: string,
  lessonId: string,
  limit: number,
): Promise<StoredRun[]> {
  const rows = await db
    .selectFrom('runs')
    .selectAll()
    .where('learner_id', '=', learnerId)
    .where('lesson_id', '=', lessonId)
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.max(0, Math.floor(limit)))
    .execute();
  return rows.map(toRun);
}

/** A learner's latest run of one lesson, if any. */
export async function latestRun(
  db: Kysely<Schema>,
  learnerId: string,
  lessonId: string,
): Promise<StoredRun | undefined> {
  return (await learnerRuns(db, learnerId, lessonId, 1))[0];
}

function toProgress(row: Schema['progress']): ProgressRecord {
  return {
    learnerId: row.learner_id,
    lessonId: row.lesson_id,
    classId: row.class_id,
    status: row.status,
    attempts: row.attempts,
    failedSincePass: row.failed_since_pass,
    firstPassedAt: row.first_passed_at,
    lastRunAt: row.last_run_at,
    lastRunId: row.last_run_id,
    lastCode: JSON.parse(row.last_code) as CodeFile[],
  };
}

/** A learner's progress on every lesson they ran, by lesson id. */
export async function progressOf(db: Kysely<Schema>, learnerId: string): Promise<ProgressRecord[]> {
  const rows = await db
    .selectFrom('progress')
    .selectAll()
    .where('learner_id', '=', learnerId)
    .orderBy('lesson_id')
    .execute();
  return rows.map(toProgress);
}

/** One cell of the class grid: a learner on a lesson they have run. */
export interface ProgressCell {
  status: ProgressStatus;
  attempts: number;
  failedSincePass: number;
  lastRunAt: string;
  firstPassedAt: string | null;
}

/** The class grid: its lessons in order, and per learner one cell per lesson (null: not run). */
export interface ClassProgress {
  lessonIds: string[];
  learners: Array<{
    id: string;
    nickname: string;
    lastSeenAt: string;
    cells: Array<ProgressCell | null>;
  }>;
}

/** The class's roster × lessons grid, learners by nickname, lessons in the class's order. */
export async function classProgress(db: Kysely<Schema>, classId: string): Promise<ClassProgress> {
  const [lessonIds, learners, rows] = await Promise.all([
    classLessons(db, classId),
    learnersOf(db, classId),
    db
      .selectFrom('progress')
      .select([
        'learner_id',
        'lesson_id',
        'status',
        'attempts',
        'failed_since_pass',
        'last_run_at',
        'first_passed_at',
      ])
      .where('class_id', '=', classId)
      .execute(),
  ]);
  const cells = new Map(rows.map((row) => [`${row.learner_id}\n${row.lesson_id}`, row]));
  return {
    lessonIds,
    learners: learners.map((learner) => ({
      id: learner.id,
      nickname: learner.nickname,
      lastSeenAt: learner.lastSeenAt,
      cells: lessonIds.map((lessonId) => {
        const row = cells.get(`${learner.id}\n${lessonId}`);
        return row
          ? {
              status: row.status,
              attempts: row.attempts,
              failedSincePass: row.failed_since_pass,
              lastRunAt: row.last_run_at,
              firstPassedAt: row.first_passed_at,
            }
          : null;
      }),
    })),
  };
}

/** One line of the class's progress CSV: a learner on one of the class's lessons. */
export interface ProgressCsvRow {
  nickname: string;
  lessonId: string;
  status: ProgressStatus | 'not started';
  attempts: number;
  failedSincePass: number;
  firstPassedAt: string;
  lastRunAt: string;
}

/** The class's progress as CSV rows: every learner × every lesson, learners by nickname. */
export async function progressCsvRows(
  db: Kysely<Schema>,
  classId: string,
): Promise<ProgressCsvRow[]> {
  const grid = await classProgress(db, classId);
  return grid.learners.flatMap((learner) =>
    grid.lessonIds.map((lessonId, i) => {
      const cell = learner.cells[i] ?? null;
      return {
        nickname: learner.nickname,
        lessonId,
        status: cell?.status ?? 'not started',
        attempts: cell?.attempts ?? 0,
        failedSincePass: cell?.failedSincePass ?? 0,
        firstPassedAt: cell?.firstPassedAt ?? '',
        lastRunAt: cell?.lastRunAt ?? '',
      };
    }),
  );
}
