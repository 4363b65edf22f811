/**
 * Run tokens: short-lived JWTs the web app issues to a learner who joined a class, which the page
 * hands to the sandbox front when it opens its WebSocket so the front can tag that connection's
 * runs with the learner and class. HS256 with a key derived from the shared master secret
 * (lib/server/secrets.ts): both processes already hold that secret (the front needs it for the
 * internal endpoint too), so an asymmetric key would keep nothing from the front.
 * Verification here checks signature, audience, issuer and expiry; single use is the caller's
 * (the front asks the app's `useTokenOnce`, see sandbox-server/transport/run-auth.ts).
 */
import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

/** The `aud` of every run token: only the sandbox accepts them. */
export const RUN_TOKEN_AUDIENCE = 'handshake-sandbox';
/** The `iss` of every run token. */
export const RUN_TOKEN_ISSUER = 'handshake-app';
/** How long a run token may be presented after it is issued. */
export const RUN_TOKEN_TTL_SECONDS = 60;
/** Clock skew allowed between the app and a front on another machine. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Longest token text accepted for verification (a real one is ~300 characters). */
export const MAX_RUN_TOKEN_LENGTH = 2048;

/** Who a run token speaks for. */
export interface RunTokenSubject {
  learnerId: string;
  classId: string;
}

/** A verified token's claims. */
export interface RunTokenClaims extends RunTokenSubject {
  /** Random id of this token, used once. */
  jti: string;
  /** When it stops being accepted. */
  expiresAt: Date;
}

export type RunTokenCheck =
  { ok: true; claims: RunTokenClaims } | { ok: false; reason: 'forged' | 'expired' };

/** Issues a run token for this learner: `{ token, expiresAt }` (ISO-8601). */
export async function issueRunToken(
  key: Uint8Array,
  subject: RunTokenSubject,
  now: Date = new Date(),
): Promise<{ token: string; expiresAt: string }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const exp = issuedAt + RUN_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ cls: subject.classId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject.learnerId)
    .setAudience(RUN_TOKEN_AUDIENCE)
    .setIssuer(RUN_TOKEN_ISSUER)
    .setJti(randomBytes(16).toString('base64url'))
    .setIssuedAt(issuedAt)
    .setExpirationTime(exp)
    .sign(key);
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * Checks a presented token: `expired` when it is genuine but too old, `forged` for anything
 * else that is not a run token signed with `key` (bad signature, another audience or issuer,
 * another algorithm, missing claims, garbage).
 */
export async function verifyRunToken(
  key: Uint8Array,
  token: string,
  now: Date = new Date(),
): Promise<RunTokenCheck> {
  if (token.length > MAX_RUN_TOKEN_LENGTH) return { ok: false, reason: 'forged' };
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      audience: RUN_TOKEN_AUDIENCE,
      issuer: RUN_TOKEN_ISSUER,
      requiredClaims: ['sub', 'jti', 'exp', 'cls'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: now,
    });
    const { sub, jti, exp, cls } = payload;
    if (!isId(sub) || !isId(jti) || !isId(cls) || typeof exp !== 'number')
      return { ok: false, reason: 'forged' };
    // A token that claims a longer life than the app ever gives was not made by the app.
    if (exp - (payload.iat ?? 0) > RUN_TOKEN_TTL_SECONDS) return { ok: false, reason: 'forged' };
    const claims = { learnerId: sub, classId: cls, jti, expiresAt: new Date(exp * 1000) };
    return { ok: true, claims };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'forged' };
  }
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(value);
}
