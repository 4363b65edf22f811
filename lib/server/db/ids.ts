/**
 * Random identifiers and secrets of the data layer, and the normal forms that make two spellings
 * of one join code or nickname the same.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';

/** A new id: 128 random bits, base64url (22 characters). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** Crockford base32 without I, L, O and U: nothing a learner can misread or mistype. */
export const JOIN_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const JOIN_CODE_LENGTH = 8;

/** A new join code: 8 characters of JOIN_CODE_ALPHABET (40 bits). */
export function newJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(32)];
  return code;
}

/**
 * A join code as typed (any case, spaces or dashes, O for 0, I or L for 1) in its stored form,
 * or null when it cannot be one.
 */
export function normalizeJoinCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== JOIN_CODE_LENGTH) return null;
  return [...code].every((c) => JOIN_CODE_ALPHABET.includes(c)) ? code : null;
}

export const NICKNAME_MAX = 40;

/**
 * The key that makes two nicknames the same within a class (NFKC, lower case, trimmed), or
 * null when the nickname is empty or longer than NICKNAME_MAX characters.
 */
export function nicknameKey(nickname: string): string | null {
  const length = [...nickname.trim()].length;
  if (length < 1 || length > NICKNAME_MAX) return null;
  return nickname.trim().normalize('NFKC').toLowerCase();
}

/** A new session token: 256 random bits, base64url; only its hash is stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a session token: sha256, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
