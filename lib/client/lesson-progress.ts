/**
 * What a learner has done in one lesson besides editing code, kept in the browser next to the
 * autosaved files: how many levels of each hint group are open, the predictions made and
 * settled, and the runs that passed or failed (which unlocks the comparison with the solution).
 * Pure functions over a plain object, plus load/save through a KeyValueStore.
 */
import type { KeyValueStore } from './autosave.ts';
import type { CheckResult } from '../protocol.ts';

/** A prediction: the option chosen before a run, and whether a run has settled it since. */
export interface Prediction {
  choice: number;
  settled: boolean;
}

export interface LessonProgress {
  /** Open levels per hint group, by the group's key. */
  hints: Record<string, number>;
  /** Predictions by their `id`. */
  predictions: Record<string, Prediction>;
  /** Runs whose checks did not all pass. */
  failedRuns: number;
  /** Some run passed every check. */
  passed: boolean;
}

export const NO_PROGRESS: LessonProgress = {
  hints: {},
  predictions: {},
  failedRuns: 0,
  passed: false,
};

/** How many failed runs unlock the comparison when the lesson does not say. */
export const DEFAULT_COMPARE_AFTER_FAILED_RUNS = 3;

/** The storage key of a lesson's progress (by its stable frontmatter id). */
export function progressKey(lessonId: string): string {
  return `handshake:v1:progress:${lessonId}`;
}

/** The lesson's saved progress; anything missing or unreadable counts as none. */
export function loadProgress(store: KeyValueStore, lessonId: string): LessonProgress {
  try {
    const raw = store.getItem(progressKey(lessonId));
    if (!raw) return NO_PROGRESS;
    const data = JSON.parse(raw) as Partial<LessonProgress>;
    return {
      hints: isRecord(data.hints) ? data.hints : {},
      predictions: isRecord(data.predictions) ? data.predictions : {},
      failedRuns: Number.isInteger(data.failedRuns) ? data.failedRuns! : 0,
      passed: data.passed === true,
    };
  } catch {
    return NO_PROGRESS;
  }
}

/** Saves the progress; a full or unavailable storage is ignored (progress is a convenience). */
export function saveProgress(
  store: KeyValueStore,
  lessonId: string,
  progress: LessonProgress,
): void {
  try {
    store.setItem(progressKey(lessonId), JSON.stringify(progress));
  } catch {
    // Private mode or a full storage: the page still works, it just forgets on reload.
  }
}

/** Opens the next level of a hint group of `total` levels (never past the last). */
export function revealHint(progress: LessonProgress, group: string, total: number): LessonProgress {
  const open = Math.min((progress.hints[group] ?? 0) + 1, total);
  return { ...progress, hints: { ...progress.hints, [group]: open } };
}

/** Records the option picked for a prediction; a settled prediction keeps its answer. */
export function choosePrediction(
  progress: LessonProgress,
  id: string,
  choice: number,
): LessonProgress {
  if (progress.predictions[id]?.settled) return progress;
  return {
    ...progress,
    predictions: { ...progress.predictions, [id]: { choice, settled: false } },
  };
}

/** Forgets a prediction, so the learner can predict again before the next run. */
export function forgetPrediction(progress: LessonProgress, id: string): LessonProgress {
  const { [id]: _dropped, ...predictions } = progress.predictions;
  return { ...progress, predictions };
}

/**
 * A run finished after these predictions were made (`made`: the ids chosen when it started):
 * they are settled now, and the learner sees whether they were right.
 */
export function settlePredictions(
  progress: LessonProgress,
  made: readonly string[],
): LessonProgress {
  if (made.length === 0) return progress;
  const predictions = { ...progress.predictions };
  for (const id of made) {
    const prediction = predictions[id];
    if (prediction) predictions[id] = { ...prediction, settled: true };
  }
  return { ...progress, predictions };
}

/** Ids of the predictions chosen and not yet settled: the ones the next run will settle. */
export function openPredictions(progress: LessonProgress): string[] {
  return Object.entries(progress.predictions)
    .filter(([, prediction]) => !prediction.settled)
    .map(([id]) => id);
}

/** Whether checks say the run passed: at least one check, and every one passed. */
export function runPassed(checks: readonly CheckResult[]): boolean {
  return checks.length > 0 && checks.every((check) => check.status === 'pass');
}

/** Counts a judged run: a pass unlocks the comparison, a failure counts towards it. */
export function recordRun(
  progress: LessonProgress,
  checks: readonly CheckResult[],
): LessonProgress {
  if (checks.length === 0) return progress;
  return runPassed(checks)
    ? { ...progress, passed: true }
    : { ...progress, failedRuns: progress.failedRuns + 1 };
}

/** Whether the comparison with the solution is offered yet. */
export function compareOffered(progress: LessonProgress, afterFailedRuns: number): boolean {
  return progress.passed || progress.failedRuns >= afterFailedRuns;
}

function isRecord<T>(value: unknown): value is Record<string, T> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
