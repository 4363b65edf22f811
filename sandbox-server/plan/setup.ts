/**
 * Everything about a run that can be decided before it starts, synchronously, so startRun can
 * refuse a bad request with a clear error instead of starting a doomed run. This folder (plan/)
 * is pure: the unprivileged front plans with it too, without loading any of run/ or jail/.
 */
import { LIMIT_BOUNDS, clampLimits, type RunLimitsConfig } from '../limits.ts';
import { planProcesses, type PlannedProcess } from './plan.ts';
import type { RunOptions } from '../run/types.ts';
import { validateFiles } from './validate.ts';

/** The checked plan of a run. */
export interface RunSetup {
  limits: RunLimitsConfig;
  plan: PlannedProcess[];
}

/** Validates the request and plans the run; throws RunInputError when it cannot run. */
export function prepareRun(options: RunOptions): RunSetup {
  validateFiles(options.files);
  return { limits: effectiveLimits(options), plan: planProcesses(options.files, options.lesson) };
}

/** The limits a lesson may ask for (lib/lessons/schema.ts LessonLimits). */
const LESSON_LIMITS = ['wallSeconds', 'pids', 'openFiles'] as const;

/** The server's limits with the lesson's requests applied within the bounds. */
export function effectiveLimits(options: RunOptions): RunLimitsConfig {
  const requested: Partial<RunLimitsConfig> = { ...options.limits };
  for (const name of LESSON_LIMITS) {
    const wanted = options.lesson?.limits?.[name];
    if (wanted !== undefined) requested[name] = wanted;
  }
  return clampLimits(requested, {
    ...(options.limitBounds ?? LIMIT_BOUNDS),
    defaults: options.limits,
  });
}
