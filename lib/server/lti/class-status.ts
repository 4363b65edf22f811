/**
 * What a class's settings page says about its LMS course: which course on which platform, and
 * how its grades stand (all sent, some waiting, some held after MAX_ATTEMPTS failed tries with the
 * platform's last answer), so an instructor sees a grade that did not arrive before the learner
 * tells them.
 */
import type { Kysely } from 'kysely';
import {
  ltiContextOfClass,
  ltiRegistrationById,
  queuedLtiScores,
  type Schema,
} from '../db/index.ts';
import { MAX_ATTEMPTS } from './grades.ts';

export interface LtiClassStatus {
  course: string;
  platform: string;
  /** Grades queued that will be tried again. */
  waiting: number;
  /** Grades that failed MAX_ATTEMPTS times and wait for someone to look. */
  held: number;
  /** The platform's last answer to a failed grade, if any. */
  lastError: string | null;
  /** The course offers a member list (Names and Role Provisioning). */
  canSyncRoster: boolean;
}

/** The class's LMS status, or null for a class not linked to a course. */
export async function ltiClassStatus(
  db: Kysely<Schema>,
  classId: string,
): Promise<LtiClassStatus | null> {
  const context = await ltiContextOfClass(db, classId);
  if (!context) return null;
  const registration = await ltiRegistrationById(db, context.registrationId);
  const queued = await queuedLtiScores(db, classId);
  const held = queued.filter((score) => score.attempts >= MAX_ATTEMPTS).length;
  const failed = queued.filter((score) => score.lastError !== null);
  return {
    course: context.title,
    platform: registration?.issuer ?? context.registrationId,
    waiting: queued.length - held,
    held,
    lastError: failed.at(-1)?.lastError ?? null,
    canSyncRoster: context.membershipsUrl !== null,
  };
}
