/**
 * Counting failed attempts (wrong join codes, wrong class passwords, wrong instructor passwords)
 * per key in Better Auth's `rateLimit` table, so every replica sees the same counts. Only
 * failures count: a class of 40 behind one school NAT joins in a minute without tripping it.
 */
import { sql } from 'kysely';
import { newId } from '../db/ids.ts';
import type { AuthDb } from './store.ts';

export interface FailureRule {
  /** Failures allowed before the key is refused... */
  max: number;
  /** ...until this long has passed since its last failure. */
  windowMs: number;
}

/** Per client address: guessing codes of any class. */
export const JOIN_PER_IP: FailureRule = { max: 20, windowMs: 10 * 60_000 };
/** Per class: guessing one class's password from many addresses. */
export const JOIN_PER_CLASS: FailureRule = { max: 50, windowMs: 10 * 60_000 };
/** Per instructor email: guessing one account's password from many addresses. */
export const SIGN_IN_PER_EMAIL: FailureRule = { max: 10, windowMs: 15 * 60_000 };

const KEY_PREFIX = 'handshake:';

/** Milliseconds until `key` may try again, or 0 when it may now. */
export async function refusedFor(
  db: AuthDb,
  key: string,
  rule: FailureRule,
  nowMs = Date.now(),
): Promise<number> {
  const row = await db
    .selectFrom('rateLimit')
    .select(['count', 'lastRequest'])
    .where('key', '=', KEY_PREFIX + key)
    .executeTakeFirst();
  if (!row) return 0;
  const last = Number(row.lastRequest);
  if (row.count < rule.max || nowMs - last >= rule.windowMs) return 0;
  return last + rule.windowMs - nowMs;
}

/** Counts one failure for `key`, starting afresh when its last one is older than the window. */
export async function recordFailure(
  db: AuthDb,
  key: string,
  rule: FailureRule,
  nowMs = Date.now(),
): Promise<void> {
  const cutoff = nowMs - rule.windowMs;
  await db
    .insertInto('rateLimit')
    .values({ id: newId(), key: KEY_PREFIX + key, count: 1, lastRequest: nowMs })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when "rateLimit"."lastRequest" < ${cutoff} then 1 else "rateLimit"."count" + 1 end`,
        lastRequest: nowMs,
      }),
    )
    .execute();
}

/** Forgets the failures of `key` (after a success that proves the caller knew the secret). */
export async function clearFailures(db: AuthDb, key: string): Promise<void> {
  await db
    .deleteFrom('rateLimit')
    .where('key', '=', KEY_PREFIX + key)
    .execute();
}
