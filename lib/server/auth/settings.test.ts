import { describe, expect, it } from 'vitest';
import { baseUrlFor, secureCookies } from './instructor-auth.ts';
import { hashPassword, verifyPassword } from './password.ts';

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

describe('argon2id', () => {
  it('hashes at OWASP cost and verifies; a malformed hash is a mismatch', async () => {
    const hash = await hashPassword('sesame');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await verifyPassword(hash, 'sesame')).toBe(true);
    expect(await verifyPassword(hash, 'Sesame')).toBe(false);
    expect(await verifyPassword('not a hash', 'sesame')).toBe(false);
  });
});
