/**
 * Instructor and class passwords, hashed with argon2id at OWASP's minimum cost (19 MiB, two
 * passes, one lane) instead of Better Auth's default scrypt (N=16384, r=16), which is below it.
 */
import argon2 from 'argon2';

/** argon2id parameters; the hash string records them, so raising them later keeps old hashes valid. */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Hashes a password with argon2id into a self-describing PHC string. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** True when `password` matches `hash`; a malformed hash is a mismatch, never a throw. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
