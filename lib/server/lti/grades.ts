/**
 * Grades back to the LMS. When a learner who came from an LMS passes a lesson, a score of 1/1
 * (Completed, FullyGraded) is queued in the database; a sender posts queued scores to the
 * course's line item of that lesson (found or created, resourceId = lesson id) and retries
 * failures with exponential backoff. Recording a run never waits for any of it.
 */
import type { Kysely } from 'kysely';
import {
  claimDueLtiScores,
  completeLtiScore,
  enqueueLtiScore,
  ltiContextOfClass,
  ltiLineItem,
  ltiRegistrationById,
  ltiSubjectOfLearner,
  retryLtiScore,
  saveLtiLineItem,
  type QueuedLtiScore,
  type Schema,
} from '../db/index.ts';
import type { RunRecorder } from '../results/internal-routes.ts';
import type { RecordedRun } from '../results/schema.ts';
import { AGS_SCOPE, findOrCreateLineItem, postScore, type AgsEndpoint } from './ags.ts';
import type { ServiceTokens } from './service-token.ts';

/** What the sender needs. */
export interface GradeDeps {
  db: () => Promise<Kysely<Schema>>;
  tokens: ServiceTokens;
  /** A lesson's title, the label of its line item. */
  lessonTitle: (lessonId: string) => Promise<string>;
  logFault: (what: string, error: unknown) => void;
}

/** First retry after 30 s, doubling up to 6 h; after MAX_ATTEMPTS a score is parked. */
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 3600_000;
export const MAX_ATTEMPTS = 15;
/** Where a score that failed MAX_ATTEMPTS times waits (for an administrator to see). */
const PARKED = new Date('9999-12-31T00:00:00.000Z');
/** How long a claimed score is not handed to another sender. */
const LEASE_MS = 120_000;
const BATCH = 20;

/** When to try again after `attempts` failed attempts: exponential, jittered ±25 %. */
export function retryDelayMs(attempts: number, random = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** attempts, MAX_RETRY_MS);
  return Math.round(base * (0.75 + random() * 0.5));
}

/** Queues, and sends, the scores of the app's LMS learners. */
export class GradeSender {
  private readonly deps: GradeDeps;
  private draining: Promise<number> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  /** A sender over `deps`; nothing runs until `kick`, `drain` or `start`. */
  constructor(deps: GradeDeps) {
    this.deps = deps;
  }

  /**
   * Queues the score of a recorded run when it passed and its learner came from an LMS whose
   * course takes grades; true when queued.
   */
  async queueRun(run: RecordedRun): Promise<boolean> {
    if (run.outcome !== 'passed') return false;
    const db = await this.deps.db();
    const course = await ltiContextOfClass(db, run.classId);
    if (!course?.lineitemsUrl || !course.agsScopes.includes(AGS_SCOPE.score)) return false;
    if (!(await ltiSubjectOfLearner(db, run.learnerId))) return false;
    await enqueueLtiScore(db, {
      learnerId: run.learnerId,
      classId: run.classId,
      lessonId: run.lessonId,
      scoreGiven: 1,
      scoreMaximum: 1,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: run.finishedAt,
    });
    return true;
  }

  /** Starts a drain now, or one more after the running one (never two at once in a process). */
  kick(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drainLoop().finally(() => (this.draining = undefined));
  }

  /** Sends every due score; resolves with how many the platform took. */
  async drain(): Promise<number> {
    const db = await this.deps.db();
    let posted = 0;
    for (;;) {
      const due = await claimDueLtiScores(db, BATCH, LEASE_MS);
      if (due.length === 0) return posted;
      for (const score of due) if (await this.send(db, score)) posted++;
    }
  }

  /** Resolves when the drain running now (if any) is over. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Drains every `intervalMs` (retries come due), without keeping the process alive. */
  start(intervalMs: number): void {
    this.timer ??= setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async drainLoop(): Promise<number> {
    let posted = 0;
    do {
      this.again = false;
      try {
        posted += await this.drain();
      } catch (error) {
        this.deps.logFault('draining the LTI grade queue', error);
      }
    } while (this.again);
    return posted;
  }

  /** Posts one score; on failure schedules its retry. True when the platform took it. */
  private async send(db: Kysely<Schema>, score: QueuedLtiScore): Promise<boolean> {
    try {
      await this.post(db, score);
      await completeLtiScore(db, score);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const next =
        score.attempts + 1 >= MAX_ATTEMPTS
          ? PARKED
          : new Date(Date.now() + retryDelayMs(score.attempts));
      await retryLtiScore(db, score, message, next);
      return false;
    }
  }

  private async post(db: Kysely<Schema>, score: QueuedLtiScore): Promise<void> {
    const course = await ltiContextOfClass(db, score.classId);
    const learner = await ltiSubjectOfLearner(db, score.learnerId);
    const registration = course && (await ltiRegistrationById(db, course.registrationId));
    if (!course?.lineitemsUrl || !learner || !registration)
      throw new Error('the class or learner is no longer linked to an LMS course');
    const endpoint: AgsEndpoint = {
      registration,
      lineitemsUrl: course.lineitemsUrl,
      scopes: course.agsScopes,
    };
    let lineItem = await ltiLineItem(db, score.classId, score.lessonId);
    if (!lineItem) {
      const label = await this.deps.lessonTitle(score.lessonId);
      lineItem = await findOrCreateLineItem(this.deps.tokens, endpoint, score.lessonId, label);
      await saveLtiLineItem(db, score.classId, score.lessonId, lineItem);
    }
    await postScore(this.deps.tokens, endpoint, lineItem, {
      userId: learner.subject,
      scoreGiven: score.scoreGiven,
      scoreMaximum: score.scoreMaximum,
      activityProgress: score.activityProgress,
      gradingProgress: score.gradingProgress,
      timestamp: score.timestamp,
    });
  }
}

/**
 * A recorder that, after a run is newly recorded, queues its score for the LMS and kicks the
 * sender, without waiting: the run's recording neither waits for nor fails with the grade.
 */
export function postingGrades(
  recorder: RunRecorder,
  sender: () => GradeSender,
  logFault: (what: string, error: unknown) => void,
): RunRecorder {
  return {
    ...recorder,
    record: async (run) => {
      const result = await recorder.record(run);
      if (result === 'recorded' && run.outcome === 'passed') {
        const grades = sender();
        void grades.queueRun(run).then(
          (queued) => queued && grades.kick(),
          (error: unknown) => logFault(`queueing the LMS score of run ${run.id}`, error),
        );
      }
      return result;
    },
  };
}
