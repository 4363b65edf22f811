/**
 * The live dashboard's state, shared by the server (which sends it) and the page (which keeps it
 * current): the roster × lessons grid, the deltas that change one cell, and the rules that call a
 * learner stuck or idle. Pure functions only, so both sides and the tests agree.
 */

/** A learner's standing on one lesson they have run (or imported as started). */
export interface DashboardCell {
  status: 'started' | 'passed';
  attempts: number;
  failedSincePass: number;
  lastRunAt: string;
  firstPassedAt: string | null;
}

/** One roster row: who, and when they last did something. */
export interface DashboardLearner {
  id: string;
  nickname: string;
  joinedAt: string;
  /** Their latest finished run in this class, any lesson. */
  lastRunAt: string | null;
  /** Their latest passing run in this class, any lesson. */
  lastPassAt: string | null;
  /** Their first run in this class. */
  firstRunAt: string | null;
  /** One per lesson of the class, in its order; null: not started. */
  cells: Array<DashboardCell | null>;
}

/** When a learner counts as stuck or idle. */
export interface Thresholds {
  /** Failed runs of one lesson since its last pass that make a cell stuck. */
  stuckFailedRuns: number;
  /** Minutes of running without any pass that make a learner stuck. */
  stuckMinutes: number;
  /** Minutes without a run that make a learner idle. */
  idleMinutes: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  stuckFailedRuns: 3,
  stuckMinutes: 20,
  idleMinutes: 10,
};

/** What the stream sends first, and again after every reconnect. */
export interface DashboardSnapshot {
  lessonIds: string[];
  learners: DashboardLearner[];
  thresholds: Thresholds;
}

/** One cell changed (a run was recorded): the learner's row summary and the new cell. */
export interface CellDelta {
  learner: Omit<DashboardLearner, 'cells'>;
  lessonId: string;
  cell: DashboardCell;
}

/** The snapshot with one delta applied; a new learner is added in nickname order. */
export function applyDelta(state: DashboardSnapshot, delta: CellDelta): DashboardSnapshot {
  const column = state.lessonIds.indexOf(delta.lessonId);
  if (column < 0) return state; // a lesson the class no longer uses
  const existing = state.learners.find((learner) => learner.id === delta.learner.id);
  const cells = existing ? [...existing.cells] : state.lessonIds.map(() => null);
  cells[column] = delta.cell;
  const row: DashboardLearner = { ...delta.learner, cells };
  const learners = existing
    ? state.learners.map((learner) => (learner.id === row.id ? row : learner))
    : [...state.learners, row].sort((a, b) => a.nickname.localeCompare(b.nickname));
  return { ...state, learners };
}

const MINUTE = 60_000;

/** Whether this cell's lesson has failed several times since its last pass. */
export function cellStuck(cell: DashboardCell | null, thresholds: Thresholds): boolean {
  return cell !== null && cell.attempts > 0 && cell.failedSincePass >= thresholds.stuckFailedRuns;
}

/** No run for `idleMinutes` (counted from joining when they never ran). */
export function learnerIdle(
  learner: DashboardLearner,
  now: number,
  thresholds: Thresholds,
): boolean {
  const since = Date.parse(learner.lastRunAt ?? learner.joinedAt);
  return now - since >= thresholds.idleMinutes * MINUTE;
}

/**
 * Stuck: still running (not idle) and either some lesson failed several times since its last
 * pass, or no pass for `stuckMinutes` of running (since their last pass, or their first run).
 */
export function learnerStuck(
  learner: DashboardLearner,
  now: number,
  thresholds: Thresholds,
): boolean {
  if (!learner.lastRunAt || learnerIdle(learner, now, thresholds)) return false;
  if (learner.cells.some((cell) => cellStuck(cell, thresholds))) return true;
  const since = learner.lastPassAt ?? learner.firstRunAt;
  return (
    since !== null &&
    Date.parse(learner.lastRunAt) - Date.parse(since) >= thresholds.stuckMinutes * MINUTE
  );
}
