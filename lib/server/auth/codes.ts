/** Join codes and nicknames: what learners type, made unambiguous and comparable. */
import { randomBytes } from 'node:crypto';

/** Crockford base32 without I, L, O, U: 32 symbols, none easily confused with another. */
export const JOIN_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 8 symbols × 5 bits = 40 bits: guessing one class among thousands takes ~2^28 tries. */
export const JOIN_CODE_LENGTH = 8;
export const NICKNAME_MAX = 40;

/** A fresh random join code (uniform: 256 is a multiple of 32). */
export function newJoinCode(): string {
  return [...randomBytes(JOIN_CODE_LENGTH)]
    .map((byte) => JOIN_CODE_ALPHABET[byte % JOIN_CODE_ALPHABET.length])
    .join('');
}

/**
 * The join code a learner meant: case, spaces and dashes ignored, and the letters Crockford
 * reads as digits (I, L → 1; O → 0) mapped; null when it cannot be a code at all.
 */
export function normalizeJoinCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (code.length !== JOIN_CODE_LENGTH) return null;
  return [...code].every((c) => JOIN_CODE_ALPHABET.includes(c)) ? code : null;
}

/** A code split in two for reading aloud and copying from a projector: `7K3M-Q9TX`. */
export function formatJoinCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The nickname as typed, trimmed, or null when empty, too long or made of control characters. */
export function cleanNickname(typed: string): string | null {
  const nickname = typed.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (nickname.length === 0 || [...nickname].length > NICKNAME_MAX) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/.test(nickname)) {
    return null;
  }
  return nickname;
}

/** The key two nicknames clash on: NFKC (full-width ＡＢ = AB) and case-folded. */
export function nicknameKey(nickname: string): string {
  return nickname.normalize('NFKC').toLowerCase();
}
