/** The key Better Auth signs instructor cookies with, derived from the app's one secret. */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * HANDSHAKE_SECRET when set, else the secret file in the data dir, made on first start (0600;
 * `wx` so two processes starting together end up reading the same one).
 */
export function appSecret(dataDir: string, env = process.env): string {
  const given = env.HANDSHAKE_SECRET?.trim();
  if (given) {
    if (given.length < 32) throw new Error('HANDSHAKE_SECRET must be at least 32 characters');
    return given;
  }
  const file = path.join(dataDir, 'secret');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

/** A key for one purpose, so the auth cookies and the run tokens never share a key. */
export function derivedKey(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(`handshake:${purpose}`).digest('base64url');
}
