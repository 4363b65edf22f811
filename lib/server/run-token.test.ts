import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  issueRunToken,
  RUN_TOKEN_AUDIENCE,
  RUN_TOKEN_ISSUER,
  RUN_TOKEN_TTL_SECONDS,
  verifyRunToken,
} from './run-token.ts';
import { deriveSecrets } from './secrets.ts';

const key = deriveSecrets('k'.repeat(40)).runTokenKey;
const otherKey = deriveSecrets('o'.repeat(40)).runTokenKey;
const subject = { learnerId: 'learner_1', classId: 'class_1' };
const now = new Date('2026-12-01T10:00:00Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

/** A token shaped like the app's, with some claims changed (undefined removes one). */
async function craft(claims: Record<string, unknown>) {
  const iat = Math.floor(now.getTime() / 1000);
  const payload: Record<string, unknown> = {
    sub: 'learner_1',
    cls: 'class_1',
    aud: RUN_TOKEN_AUDIENCE,
    iss: RUN_TOKEN_ISSUER,
    jti: 'jti_1',
    iat,
    exp: iat + 60,
    ...claims,
  };
  for (const name of Object.keys(payload)) if (payload[name] === undefined) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(key);
}

describe('run tokens', () => {
  it('verifies a token it issued and gives back learner, class, jti and expiry', async () => {
    const { token, expiresAt } = await issueRunToken(key, subject, now);
    expect(expiresAt).toBe(later(RUN_TOKEN_TTL_SECONDS).toISOString());
    const check = await verifyRunToken(key, token, later(1));
    expect(check).toMatchObject({ ok: true, claims: subject });
    if (!check.ok) throw new Error('unreachable');
    expect(check.claims.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(check.claims.expiresAt.toISOString()).toBe(expiresAt);
  });

  it('gives every token its own jti', async () => {
    const a = await issueRunToken(key, subject, now);
    const b = await issueRunToken(key, subject, now);
    const jti = async (token: string) => {
      const check = await verifyRunToken(key, token, now);
      return check.ok ? check.claims.jti : null;
    };
    expect(await jti(a.token)).not.toBe(await jti(b.token));
  });

  it('calls a token signed with another key forged', async () => {
    const { token } = await issueRunToken(otherKey, subject, now);
    expect(await verifyRunToken(key, token, now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls a token with a changed payload forged', async () => {
    const { token } = await issueRunToken(key, subject, now);
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'someone_else', cls: 'class_1', aud: RUN_TOKEN_AUDIENCE }),
    ).toString('base64url');
    const check = await verifyRunToken(key, `${header}.${payload}.${signature}`, now);
    expect(check).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses another audience, another issuer, alg none and missing claims', async () => {
    const wrongAudience = await craft({ aud: 'someone-else' });
    const wrongIssuer = await craft({ iss: 'elsewhere' });
    const noClass = await craft({ cls: undefined });
    const unsigned = new UnsecuredJWT({ cls: 'class_1', sub: 'learner_1', jti: 'j' })
      .setAudience(RUN_TOKEN_AUDIENCE)
      .setIssuer(RUN_TOKEN_ISSUER)
      .setExpirationTime(Math.floor(now.getTime() / 1000) + 60)
      .encode();
    for (const token of [wrongAudience, wrongIssuer, noClass, unsigned, 'garbage', ''])
      expect(await verifyRunToken(key, token, now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses a validly signed token claiming a life longer than the app gives', async () => {
    const iat = Math.floor(now.getTime() / 1000);
    const token = await craft({ exp: iat + 3600 });
    expect(await verifyRunToken(key, token, now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls a genuine token past its expiry (plus 5 s of skew) expired', async () => {
    const { token } = await issueRunToken(key, subject, now);
    expect((await verifyRunToken(key, token, later(64))).ok).toBe(true);
    expect(await verifyRunToken(key, token, later(66))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('calls an expired token with a bad signature forged, not expired', async () => {
    const { token } = await issueRunToken(otherKey, subject, now);
    expect(await verifyRunToken(key, token, later(600))).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses oversized token text without parsing it', async () => {
    expect(await verifyRunToken(key, 'a'.repeat(5000), now)).toEqual({
      ok: false,
      reason: 'forged',
    });
  });
});
