/**
 * The secrets the web app and the sandbox front share. There is one master secret:
 * HANDSHAKE_SECRET, or 32 random bytes generated once into `<dataDir>/secret` (mode 0600). Each
 * use derives its own key from it with HKDF-SHA256, so the run-token key and the internal
 * endpoint's secret never equal each other, and both processes reach the same keys from the
 * same source without ever sending a key between them.
 */
import { createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  chownSync,
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

/** Name of the generated master secret inside the data dir. */
export const SECRET_FILE = 'secret';
/** Shortest master secret accepted (from the environment or the file). */
export const MIN_SECRET_LENGTH = 32;

/** The keys derived from the master secret. */
export interface SharedSecrets {
  /** HS256 key of run tokens (lib/server/run-token.ts). */
  runTokenKey: Uint8Array;
  /** Value of the internal endpoints' secret header (lib/server/results/internal-auth.ts). */
  internalSecret: string;
  /** Better Auth's key for instructor sessions (lib/server/auth/context.ts). */
  authSecret: string;
  /** Seals capture tokens with their server's address (sandbox-server/transport/capture-owner.ts). */
  captureKey: Uint8Array;
}

/** Where the master secret comes from: the environment's, else the data dir's file. */
export interface SecretSource {
  secret?: string | undefined;
  dataDir: string;
}

/** A secret that cannot be used or made; the message names the file or variable. */
export class SecretError extends Error {}

/** Derives the shared keys from a master secret (the same master always gives the same keys). */
export function deriveSecrets(master: string): SharedSecrets {
  if (master.length < MIN_SECRET_LENGTH)
    throw new SecretError(`the master secret must be at least ${MIN_SECRET_LENGTH} characters`);
  const derive = (label: string) =>
    new Uint8Array(hkdfSync('sha256', master, 'handshake', label, 32));
  return {
    runTokenKey: derive('run-token v1'),
    internalSecret: Buffer.from(derive('internal endpoint v1')).toString('base64url'),
    authSecret: Buffer.from(derive('better-auth v1')).toString('base64url'),
    captureKey: derive('capture owner v1'),
  };
}

/** The shared keys from HANDSHAKE_SECRET when set, else from (a newly made) `<dataDir>/secret`. */
export function loadSecrets(source: SecretSource): SharedSecrets {
  const fromEnv = source.secret?.trim();
  if (fromEnv) return deriveSecrets(fromEnv);
  return deriveSecrets(ensureSecretFile(source.dataDir));
}

/**
 * Returns the master secret of `<dataDir>/secret`, making the folder (0700) and the file (0600)
 * first when missing. Safe when the app and the front start at once: the file is written under
 * a temporary name and linked into place, so exactly one writer wins and the other reads its
 * secret. With `owner` (a root start), the folder and file are given to the unprivileged user.
 */
export function ensureSecretFile(dataDir: string, owner?: { uid: number; gid: number }): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (owner) chownSync(dataDir, owner.uid, owner.gid);
  const file = path.join(dataDir, SECRET_FILE);
  const existing = readSecretFile(file);
  if (existing !== null) {
    if (owner) chownSync(file, owner.uid, owner.gid); // made earlier by a start that dropped nothing
    return existing;
  }
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeNewFile(temporary, `${randomBytes(32).toString('base64url')}\n`);
  try {
    if (owner) chownSync(temporary, owner.uid, owner.gid);
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return readSecretFile(file)!;
}

/** The secret in `file`, or null when there is none yet; refuses one others may read. */
function readSecretFile(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SecretError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if ((statSync(file).mode & 0o077) !== 0)
    throw new SecretError(`${file} may be read by others; chmod 600 it (or delete it to renew)`);
  if (text.length < MIN_SECRET_LENGTH)
    throw new SecretError(`${file} holds fewer than ${MIN_SECRET_LENGTH} characters`);
  return text;
}

function writeNewFile(file: string, text: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Compares a presented secret with the expected one in constant time (any length). */
export function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length === expected.length;
}
