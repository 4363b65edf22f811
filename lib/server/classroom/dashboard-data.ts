/**
 * What the dashboard reads from the data layer: the class snapshot, the delta for one cell after
 * a run, and a cell's detail (latest code, last run, attempts). Callers check who may ask.
 */
import { sql, type Kysely } from 'kysely';
import {
  DEFAULT_THRESHOLDS,
  type CellDelta,
  type DashboardCell,
  type DashboardLearner,
  type DashboardSnapshot,
  type Thresholds,
} from '../../classroom/dashboard-state.ts';
import {
  classProgress,
  learnerRuns,
  type CheckVerdict,
  type CodeFile,
  type RunOutcome,
  type Schema,
} from '../db/index.ts';

type Activity = Pick<DashboardLearner, 'lastRunAt' | 'lastPassAt' | 'firstRunAt'>;

/** Per learner of the class (or of one learner): their latest run, latest pass and first run. */
async function activityOf(
  db: Kysely<Schema>,
  classId: string,
  learnerId?: string,
): Promise<Map<string, Activity>> {
  let query = db
    .selectFrom('runs')
    .select([
      'learner_id',
      sql<string | null>`max(finished_at)`.as('last_run_at'),
      sql<string | null>`max(case when outcome = 'passed' then finished_at end)`.as('last_pass_at'),
      sql<string | null>`min(started_at)`.as('first_run_at'),
    ])
    .where('class_id', '=', classId)
    .groupBy('learner_id');
  if (learnerId) query = query.where('learner_id', '=', learnerId);
  const rows = await query.execute();
  return new Map(
    rows.map((row) => [
      row.learner_id,
      { lastRunAt: row.last_run_at, lastPassAt: row.last_pass_at, firstRunAt: row.first_run_at },
    ]),
  );
}

const NO_ACTIVITY: Activity = { lastRunAt: null, lastPassAt: null, firstRunAt: null };

/** The whole grid of a class: its lessons in order, every learner with one cell per lesson. */
export async function dashboardSnapshot(
  db: Kysely<Schema>,
  classId: string,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): Promise<DashboardSnapshot> {
  const [grid, activity, joined] = await Promise.all([
    classProgress(db, classId),
    activityOf(db, classId),
    db
      .selectFrom('learners')
      .select(['id', 'created_at'])
      .where('class_id', '=', classId)
      .execute(),
  ]);
  const joinedAt = new Map(joined.map((row) => [row.id, row.created_at]));
  return {
    lessonIds: grid.lessonIds,
    thresholds,
    learners: grid.learners.map((learner) => ({
      id: learner.id,
      nickname: learner.nickname,
      joinedAt: joinedAt.get(learner.id) ?? learner.lastSeenAt,
      ...(activity.get(learner.id) ?? NO_ACTIVITY),
      cells: learner.cells.map((cell) => cell && { ...cell }),
    })),
  };
}

/** The new state of one learner's cell and row, or undefined when either is gone. */
export async function cellDelta(
  db: Kysely<Schema>,
  classId: string,
  learnerId: string,
  lessonId: string,
): Promise<CellDelta | undefined> {
  const [learner, row, activity] = await Promise.all([
    db
      .selectFrom('learners')
      .select(['id', 'nickname', 'created_at'])
      .where('id', '=', learnerId)
      .where('class_id', '=', classId)
      .executeTakeFirst(),
    db
      .selectFrom('progress')
      .selectAll()
      .where('learner_id', '=', learnerId)
      .where('lesson_id', '=', lessonId)
      .where('class_id', '=', classId)
      .executeTakeFirst(),
    activityOf(db, classId, learnerId),
  ]);
  if (!learner || !row) return undefined;
  return {
    learner: {
      id: learner.id,
      nickname: learner.nickname,
      joinedAt: learner.created_at,
      ...(activity.get(learnerId) ?? NO_ACTIVITY),
    },
    lessonId,
    cell: toCell(row),
  };
}

function toCell(row: Schema['progress']): DashboardCell {
  return {
    status: row.status,
    attempts: row.attempts,
    failedSincePass: row.failed_since_pass,
    lastRunAt: row.last_run_at,
    firstPassedAt: row.first_passed_at,
  };
}

/** One earlier run, as the attempts list shows it. */
export interface AttemptSummary {
  id: string;
  finishedAt: string;
  outcome: RunOutcome;
  durationMs: number;
  passedChecks: number;
  totalChecks: number;
}

/** Everything the cell detail shows about a learner on a lesson. */
export interface CellDetail {
  learner: { id: string; nickname: string };
  lessonId: string;
  cell: DashboardCell | null;
  /** The code of their latest run (or imported code), newest first. */
  code: CodeFile[];
  lastRun: {
    id: string;
    finishedAt: string;
    outcome: RunOutcome;
    durationMs: number;
    checks: CheckVerdict[];
    output: Record<string, string>;
  } | null;
  /** Latest first, at most ATTEMPTS_SHOWN. */
  attempts: AttemptSummary[];
}

/** How many earlier runs the detail lists. */
export const ATTEMPTS_SHOWN = 50;

/** A learner's cell in a class, or undefined when the learner is not in that class. */
export async function cellDetail(
  db: Kysely<Schema>,
  classId: string,
  learnerId: string,
  lessonId: string,
): Promise<CellDetail | undefined> {
  const learner = await db
    .selectFrom('learners')
    .select(['id', 'nickname'])
    .where('id', '=', learnerId)
    .where('class_id', '=', classId)
    .executeTakeFirst();
  if (!learner) return undefined;
  const [progress, runs] = await Promise.all([
    db
      .selectFrom('progress')
      .selectAll()
      .where('learner_id', '=', learnerId)
      .where('lesson_id', '=', lessonId)
      .executeTakeFirst(),
    learnerRuns(db, learnerId, lessonId, ATTEMPTS_SHOWN),
  ]);
  const last = runs[0];
  return {
    learner,
    lessonId,
    cell: progress ? toCell(progress) : null,
    code: last?.code ?? (progress ? (JSON.parse(progress.last_code) as CodeFile[]) : []),
    lastRun: last
      ? {
          id: last.id,
          finishedAt: last.finishedAt,
          outcome: last.outcome,
          durationMs: last.durationMs,
          checks: last.checks,
          output: last.output,
        }
      : null,
    attempts: runs.map((run) => ({
      id: run.id,
      finishedAt: run.finishedAt,
      outcome: run.outcome,
      durationMs: run.durationMs,
      passedChecks: run.checks.filter((check) => check.status === 'pass').length,
      totalChecks: run.checks.length,
    })),
  };
}
