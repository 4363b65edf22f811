import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { baseUrlFor, secureCookies } from './instructor-auth.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { appSecret, derivedKey } from './secret.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('cookie and origin settings', () => {
  it('cookies are Secure only when every allowed origin is https', () => {
    expect(secureCookies(['https://class.example.org'])).toBe(true);
    expect(secureCookies(['https://class.example.org', 'http://localhost:3000'])).toBe(false);
    expect(secureCookies(['*'])).toBe(false);
  });

  it('Better Auth follows the request host among the allowed origins, else the first', () => {
    expect(baseUrlFor(['http://localhost:3000', 'https://a.example'])).toEqual({
      allowedHosts: ['localhost:3000', 'a.example'],
      fallback: 'http://localhost:3000',
      protocol: 'auto',
    });
    expect(baseUrlFor(['*'])).toBeUndefined();
  });
});

describe('the app secret', () => {
  it('is made once in the data dir, 0600, and read back by every later start', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'handshake-secret-'));
    dirs.push(dir);
    const first = appSecret(path.join(dir, 'data'), {});
    expect(first).toMatch(/^[\w-]{43}$/);
    expect(appSecret(path.join(dir, 'data'), {})).toBe(first);
    expect(statSync(path.join(dir, 'data', 'secret')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, 'data', 'secret'), 'utf8')).toBe(first);
  });

  it('comes from HANDSHAKE_SECRET when set (32+ characters), and each purpose gets its own key', () => {
    const given = 'x'.repeat(32);
    expect(appSecret('/nonexistent', { HANDSHAKE_SECRET: given })).toBe(given);
    expect(() => appSecret('/nonexistent', { HANDSHAKE_SECRET: 'short' })).toThrow(/32/);
    expect(derivedKey(given, 'better-auth')).not.toBe(derivedKey(given, 'run-token'));
  });
});

describe('argon2id', () => {
  it('hashes at OWASP cost and verifies; a malformed hash is a mismatch', async () => {
    const hash = await hashPassword('sesame');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await verifyPassword(hash, 'sesame')).toBe(true);
    expect(await verifyPassword(hash, 'Sesame')).toBe(false);
    expect(await verifyPassword('not a hash', 'sesame')).toBe(false);
  });
});
