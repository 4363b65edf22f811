/**
 * Replay protection for run tokens: each token id (jti) is accepted once while it is valid.
 */
import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';
import { isoTime } from './time.ts';

/**
 * Records the token id `jti` as used until `expiresAt`: true the first time, false when it was
 * used already. Expired ids are pruned on the way (an expired token fails its own check first).
 */
export async function useTokenOnce(
  db: Kysely<Schema>,
  jti: string,
  expiresAt: Date | string | number,
): Promise<boolean> {
  await db.deleteFrom('token_uses').where('expires_at', '<', isoTime()).execute();
  const result = await db
    .insertInto('token_uses')
    .values({ jti, expires_at: isoTime(expiresAt) })
    .onConflict((oc) => oc.column('jti').doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}
