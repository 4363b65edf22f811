/**
 * The app's data directory: made by `npm start` (as root) before the app drops to its
 * unprivileged user, so that user owns it and nobody else can read it.
 */
import { chmodSync, chownSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Creates `dir` (and its parents) when missing, mode 0700, and hands it and the files directly
 * in it to `owner` when given (a database made by an earlier root start must become the
 * user's too).
 */
export function prepareDataDir(dir: string, owner?: { uid: number; gid: number }): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  if (!owner) return;
  chownSync(dir, owner.uid, owner.gid);
  for (const entry of readdirSync(dir)) chownSync(path.join(dir, entry), owner.uid, owner.gid);
}
