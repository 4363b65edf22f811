/**
 * Learners (a nickname in one class, no account) and their sessions: the cookie holds a 256-bit
 * token, the database only its sha256, so a leaked database opens no session.
 */
import type { Kysely } from 'kysely';
import { isUniqueViolation } from './errors.ts';
import { hashToken, newId, newSessionToken, nicknameKey } from './ids.ts';
import type { Schema } from './schema.ts';
import { isoTime } from './time.ts';

/** A learner of one class. */
export interface Learner {
  id: string;
  classId: string;
  nickname: string;
  createdAt: string;
  lastSeenAt: string;
}

type LearnerRow = Schema['learners'];

function toLearner(row: LearnerRow): Learner {
  return {
    id: row.id,
    classId: row.class_id,
    nickname: row.nickname,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  };
}

/**
 * A new learner in the class: 'taken' when the nickname (compared NFKC, case-insensitive) is
 * someone's there already, 'invalid' when it is empty or over 40 characters.
 */
export async function createLearner(
  db: Kysely<Schema>,
  input: { classId: string; nickname: string },
): Promise<Learner | 'taken' | 'invalid'> {
  const key = nicknameKey(input.nickname);
  if (key === null) return 'invalid';
  const now = isoTime();
  const row: LearnerRow = {
    id: newId(),
    class_id: input.classId,
    nickname: input.nickname.trim(),
    nickname_key: key,
    created_at: now,
    last_seen_at: now,
  };
  try {
    await db.insertInto('learners').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) return 'taken';
    throw error;
  }
  return toLearner(row);
}

/** The learners of a class, by nickname. */
export async function learnersOf(db: Kysely<Schema>, classId: string): Promise<Learner[]> {
  const rows = await db
    .selectFrom('learners')
    .selectAll()
    .where('class_id', '=', classId)
    .orderBy('nickname_key')
    .execute();
  return rows.map(toLearner);
}

/** Sessions last 180 days: a course's length, so a learner joins once per term and device. */
export const LEARNER_SESSION_MS = 180 * 24 * 3600 * 1000;

/** A new session for the learner: the token goes into the cookie, never into the database. */
export async function createLearnerSession(
  db: Kysely<Schema>,
  learnerId: string,
  ttlMs: number = LEARNER_SESSION_MS,
): Promise<{ token: string; expiresAt: string }> {
  const token = newSessionToken();
  const now = Date.now();
  const expiresAt = isoTime(now + ttlMs);
  await db
    .insertInto('learner_sessions')
    .values({
      token_hash: hashToken(token),
      learner_id: learnerId,
      created_at: isoTime(now),
      expires_at: expiresAt,
    })
    .execute();
  return { token, expiresAt };
}

/** last_seen_at is written at most this often, so a page view is not a write every time. */
const SEEN_RESOLUTION_MS = 60_000;

/**
 * The learner a session cookie's token belongs to, when the session has not expired (and the
 * learner's last_seen_at moves to now); undefined otherwise.
 */
export async function learnerBySessionToken(
  db: Kysely<Schema>,
  token: string,
): Promise<Learner | undefined> {
  const now = Date.now();
  const row = await db
    .selectFrom('learner_sessions')
    .innerJoin('learners', 'learners.id', 'learner_sessions.learner_id')
    .selectAll('learners')
    .where('learner_sessions.token_hash', '=', hashToken(token))
    .where('learner_sessions.expires_at', '>', isoTime(now))
    .executeTakeFirst();
  if (!row) return undefined;
  if (now - Date.parse(row.last_seen_at) >= SEEN_RESOLUTION_MS) {
    row.last_seen_at = isoTime(now);
    await db
      .updateTable('learners')
      .set({ last_seen_at: row.last_seen_at })
      .where('id', '=', row.id)
      .execute();
  }
  return toLearner(row);
}

/** Ends the session a token opened (sign out); true when there was one. */
export async function deleteLearnerSession(db: Kysely<Schema>, token: string): Promise<boolean> {
  const result = await db
    .deleteFrom('learner_sessions')
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
