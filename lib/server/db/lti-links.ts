/**
 * What LTI launches link to: an LMS course (registration + deployment + context id) to a class,
 * a platform user (registration + sub) to an instructor account or, per class, to a learner;
 * single-use sign-in hand-offs; and the services each course offers (AGS line items, NRPS).
 */
import type { Kysely } from 'kysely';
import { isUniqueViolation } from './errors.ts';
import { hashToken, newSessionToken } from './ids.ts';
import type { Schema } from './schema.ts';
import { isoTime } from './time.ts';

/** Which LMS course: a context id is unique only within its registration and deployment. */
export interface LtiContextKey {
  registrationId: string;
  deploymentId: string;
  contextId: string;
}

/** The services a course's launches offer, as of its latest launch. */
export interface LtiContextServices {
  title: string;
  lineitemsUrl: string | null;
  agsScopes: string[];
  membershipsUrl: string | null;
}

/** A linked course: its class and services. */
export interface LtiContext extends LtiContextKey, LtiContextServices {
  classId: string;
}

type ContextRow = Schema['lti_contexts'];

function toContext(row: ContextRow): LtiContext {
  return {
    registrationId: row.registration_id,
    deploymentId: row.deployment_id,
    contextId: row.context_id,
    classId: row.class_id,
    title: row.title,
    lineitemsUrl: row.lineitems_url,
    agsScopes: row.ags_scopes ? (JSON.parse(row.ags_scopes) as string[]) : [],
    membershipsUrl: row.memberships_url,
  };
}

/** The course `key` is linked to, or undefined. */
export async function findLtiContext(
  db: Kysely<Schema>,
  key: LtiContextKey,
): Promise<LtiContext | undefined> {
  const row = await db
    .selectFrom('lti_contexts')
    .selectAll()
    .where('registration_id', '=', key.registrationId)
    .where('deployment_id', '=', key.deploymentId)
    .where('context_id', '=', key.contextId)
    .executeTakeFirst();
  return row && toContext(row);
}

/** The course a class is linked to, or undefined (a class joined with a code). */
export async function ltiContextOfClass(
  db: Kysely<Schema>,
  classId: string,
): Promise<LtiContext | undefined> {
  const row = await db
    .selectFrom('lti_contexts')
    .selectAll()
    .where('class_id', '=', classId)
    .executeTakeFirst();
  return row && toContext(row);
}

/**
 * Links course `key` to `classId`; when another launch linked it first (two first launches at
 * once), that link wins and is returned, and the caller's class is deleted.
 */
export async function linkLtiContext(
  db: Kysely<Schema>,
  key: LtiContextKey,
  classId: string,
  services: LtiContextServices,
): Promise<LtiContext> {
  await db
    .insertInto('lti_contexts')
    .values({
      registration_id: key.registrationId,
      deployment_id: key.deploymentId,
      context_id: key.contextId,
      class_id: classId,
      ...servicesRow(services),
    })
    .onConflict((oc) => oc.columns(['registration_id', 'deployment_id', 'context_id']).doNothing())
    .execute();
  const linked = (await findLtiContext(db, key))!;
  // The losing launch's class was never shown to anyone: it goes.
  if (linked.classId !== classId)
    await db.deleteFrom('classes').where('id', '=', classId).execute();
  return linked;
}

/** Records the services (and title) of a course's latest launch. */
export async function updateLtiContextServices(
  db: Kysely<Schema>,
  key: LtiContextKey,
  services: LtiContextServices,
): Promise<void> {
  await db
    .updateTable('lti_contexts')
    .set(servicesRow(services))
    .where('registration_id', '=', key.registrationId)
    .where('deployment_id', '=', key.deploymentId)
    .where('context_id', '=', key.contextId)
    .execute();
}

function servicesRow(services: LtiContextServices) {
  return {
    title: services.title,
    lineitems_url: services.lineitemsUrl,
    ags_scopes: JSON.stringify(services.agsScopes),
    memberships_url: services.membershipsUrl,
    updated_at: isoTime(),
  };
}

/** The instructor account linked to platform user `subject`, or undefined. */
export async function ltiUserAccount(
  db: Kysely<Schema>,
  registrationId: string,
  subject: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('lti_users')
    .select('user_id')
    .where('registration_id', '=', registrationId)
    .where('subject', '=', subject)
    .executeTakeFirst();
  return row?.user_id;
}

/** Links platform user `subject` to account `userId`; returns the account linked (first wins). */
export async function linkLtiUser(
  db: Kysely<Schema>,
  registrationId: string,
  subject: string,
  userId: string,
): Promise<string> {
  await db
    .insertInto('lti_users')
    .values({ registration_id: registrationId, subject, user_id: userId })
    .onConflict((oc) => oc.columns(['registration_id', 'subject']).doNothing())
    .execute();
  return (await ltiUserAccount(db, registrationId, subject))!;
}

/** The learner platform user `subject` is in class `classId`, or undefined. */
export async function ltiLearner(
  db: Kysely<Schema>,
  registrationId: string,
  subject: string,
  classId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('lti_learners')
    .select('learner_id')
    .where('registration_id', '=', registrationId)
    .where('subject', '=', subject)
    .where('class_id', '=', classId)
    .executeTakeFirst();
  return row?.learner_id;
}

/** Links platform user `subject` to learner `learnerId` of `classId`; returns the learner linked. */
export async function linkLtiLearner(
  db: Kysely<Schema>,
  link: { registrationId: string; subject: string; classId: string; learnerId: string },
): Promise<string> {
  try {
    await db
      .insertInto('lti_learners')
      .values({
        registration_id: link.registrationId,
        subject: link.subject,
        class_id: link.classId,
        learner_id: link.learnerId,
      })
      .execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  return (await ltiLearner(db, link.registrationId, link.subject, link.classId))!;
}

/** The platform user behind a learner (to send their scores), or undefined. */
export async function ltiSubjectOfLearner(
  db: Kysely<Schema>,
  learnerId: string,
): Promise<{ registrationId: string; subject: string } | undefined> {
  const row = await db
    .selectFrom('lti_learners')
    .select(['registration_id', 'subject'])
    .where('learner_id', '=', learnerId)
    .executeTakeFirst();
  return row && { registrationId: row.registration_id, subject: row.subject };
}

/** Who a hand-off signs in, and where it leads. */
export interface LtiHandoff {
  learnerId: string | null;
  userId: string | null;
  destination: string;
}

/** A new single-use sign-in token for `handoff`, valid `ttlMs`; only its hash is stored. */
export async function createLtiHandoff(
  db: Kysely<Schema>,
  handoff: LtiHandoff,
  ttlMs: number,
): Promise<string> {
  const token = newSessionToken();
  await db.deleteFrom('lti_handoffs').where('expires_at', '<', isoTime()).execute();
  await db
    .insertInto('lti_handoffs')
    .values({
      token_hash: hashToken(token),
      learner_id: handoff.learnerId,
      user_id: handoff.userId,
      destination: handoff.destination,
      expires_at: isoTime(Date.now() + ttlMs),
    })
    .execute();
  return token;
}

/** Uses up a hand-off token: its hand-off, or null when unknown, used or expired. */
export async function takeLtiHandoff(
  db: Kysely<Schema>,
  token: string,
): Promise<LtiHandoff | null> {
  const row = await db
    .deleteFrom('lti_handoffs')
    .where('token_hash', '=', hashToken(token))
    .returning(['learner_id', 'user_id', 'destination', 'expires_at'])
    .executeTakeFirst();
  if (!row || row.expires_at < isoTime()) return null;
  return { learnerId: row.learner_id, userId: row.user_id, destination: row.destination };
}
