/** Join codes and nicknames as learners type and read them (lib/server/db stores them). */
import { NICKNAME_MAX } from '../db/ids.ts';

/** A code split in two for reading aloud and copying from a projector: `7K3M-Q9TX`. */
export function formatJoinCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * The nickname as typed with runs of spaces made one, or null when it is empty, too long, or
 * holds control or text-direction characters (which could disguise it on the dashboard).
 */
export function cleanNickname(typed: string): string | null {
  const nickname = typed.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (nickname.length === 0 || [...nickname].length > NICKNAME_MAX) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/.test(nickname)) {
    return null;
  }
  return nickname;
}
