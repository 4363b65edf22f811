/**
 * Grades on their way back to the LMS: the AGS line item of each lesson in each linked class,
 * and a queue of scores to post, retried with backoff. A score waits here until the platform
 * took it; a newer score of the same learner and lesson replaces one still waiting.
 */
import type { Kysely } from 'kysely';
import { newId } from './ids.ts';
import type { Schema } from './schema.ts';
import { isoTime } from './time.ts';

/** The line item URL of a lesson in a class, or undefined when none is known yet. */
export async function ltiLineItem(
  db: Kysely<Schema>,
  classId: string,
  lessonId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('lti_line_items')
    .select('url')
    .where('class_id', '=', classId)
    .where('lesson_id', '=', lessonId)
    .executeTakeFirst();
  return row?.url;
}

/** Remembers the line item URL of a lesson in a class. */
export async function saveLtiLineItem(
  db: Kysely<Schema>,
  classId: string,
  lessonId: string,
  url: string,
): Promise<void> {
  await db
    .insertInto('lti_line_items')
    .values({ class_id: classId, lesson_id: lessonId, url })
    .onConflict((oc) => oc.columns(['class_id', 'lesson_id']).doUpdateSet({ url }))
    .execute();
}

/** A score for the LMS (AGS Score, 1EdTech Assignment and Grade Services 2.0 §3.4). */
export interface LtiScore {
  learnerId: string;
  classId: string;
  lessonId: string;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
  timestamp: string;
}

/** A queued score and how often it was tried. */
export interface QueuedLtiScore extends LtiScore {
  id: string;
  attempts: number;
  lastError: string | null;
}

/** Queues a score to post now; it replaces a waiting score of the same learner and lesson. */
export async function enqueueLtiScore(db: Kysely<Schema>, score: LtiScore): Promise<void> {
  const values = {
    score_given: score.scoreGiven,
    score_maximum: score.scoreMaximum,
    activity_progress: score.activityProgress,
    grading_progress: score.gradingProgress,
    timestamp: score.timestamp,
    attempts: 0,
    next_attempt_at: isoTime(),
    last_error: null,
  };
  await db
    .insertInto('lti_grade_queue')
    .values({
      id: newId(),
      learner_id: score.learnerId,
      class_id: score.classId,
      lesson_id: score.lessonId,
      ...values,
    })
    .onConflict((oc) => oc.columns(['learner_id', 'lesson_id']).doUpdateSet(values))
    .execute();
}

type QueueRow = Schema['lti_grade_queue'];

function toQueued(row: QueueRow): QueuedLtiScore {
  return {
    id: row.id,
    learnerId: row.learner_id,
    classId: row.class_id,
    lessonId: row.lesson_id,
    scoreGiven: Number(row.score_given),
    scoreMaximum: Number(row.score_maximum),
    activityProgress: row.activity_progress as LtiScore['activityProgress'],
    gradingProgress: row.grading_progress as LtiScore['gradingProgress'],
    timestamp: row.timestamp,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}

/**
 * Claims up to `limit` scores that are due: each is leased for `leaseMs` (its next attempt moved
 * on), so another replica draining the queue at the same time skips it.
 */
export async function claimDueLtiScores(
  db: Kysely<Schema>,
  limit: number,
  leaseMs: number,
  now = Date.now(),
): Promise<QueuedLtiScore[]> {
  const due = await db
    .selectFrom('lti_grade_queue')
    .selectAll()
    .where('next_attempt_at', '<=', isoTime(now))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  const claimed: QueuedLtiScore[] = [];
  for (const row of due) {
    const result = await db
      .updateTable('lti_grade_queue')
      .set({ next_attempt_at: isoTime(now + leaseMs) })
      .where('id', '=', row.id)
      .where('next_attempt_at', '=', row.next_attempt_at)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) claimed.push(toQueued(row));
  }
  return claimed;
}

/** Removes a posted score, unless a newer one replaced it meanwhile (that one still goes). */
export async function completeLtiScore(db: Kysely<Schema>, posted: QueuedLtiScore): Promise<void> {
  await db
    .deleteFrom('lti_grade_queue')
    .where('id', '=', posted.id)
    .where('timestamp', '=', posted.timestamp)
    .where('attempts', '=', posted.attempts)
    .execute();
}

/** Records a failed attempt and when to try again (a newer score waiting is left as it is). */
export async function retryLtiScore(
  db: Kysely<Schema>,
  failed: QueuedLtiScore,
  error: string,
  nextAttemptAt: Date,
): Promise<void> {
  await db
    .updateTable('lti_grade_queue')
    .set({
      attempts: failed.attempts + 1,
      last_error: error.slice(0, 1000),
      next_attempt_at: isoTime(nextAttemptAt),
    })
    .where('id', '=', failed.id)
    .where('timestamp', '=', failed.timestamp)
    .where('attempts', '=', failed.attempts)
    .execute();
}

/** The scores waiting for a class (for the dashboard and tests), oldest first. */
export async function queuedLtiScores(
  db: Kysely<Schema>,
  classId: string,
): Promise<QueuedLtiScore[]> {
  const rows = await db
    .selectFrom('lti_grade_queue')
    .selectAll()
    .where('class_id', '=', classId)
    .orderBy('next_attempt_at')
    .execute();
  return rows.map(toQueued);
}

/**
 * Makes the held scores of a class (those that failed `heldFrom` times) due again with a fresh
 * count of attempts, e.g. once an administrator has mended the platform's registration; returns
 * how many.
 */
export async function releaseHeldLtiScores(
  db: Kysely<Schema>,
  classId: string,
  heldFrom: number,
): Promise<number> {
  const result = await db
    .updateTable('lti_grade_queue')
    .set({ attempts: 0, next_attempt_at: isoTime() })
    .where('class_id', '=', classId)
    .where('attempts', '>=', heldFrom)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
