/**
 * Access tokens for the platform's services (AGS, NRPS): the OAuth 2 client credentials grant
 * with a JWT client assertion signed by the tool's key (1EdTech Security Framework §4.1). A
 * token is cached per registration and scope set until shortly before it expires.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { z } from 'zod';
import type { LtiRegistration } from '../db/index.ts';
import { LTI_ALG, type ToolKey } from './keys.ts';

/** Why a service call failed: the platform's answer, for the retry log. */
export class LtiServiceError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

const TokenAnswer = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
});

/** A token is dropped this long before the platform says it expires (clock skew, slow calls). */
const EXPIRY_MARGIN_MS = 30_000;
/** How long a service call may take. */
export const SERVICE_TIMEOUT_MS = 10_000;

/** Access tokens of one process, by registration and scope set. */
export class ServiceTokens {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();
  private readonly key: () => Promise<ToolKey>;

  /** `key`: the tool's signing key. */
  constructor(key: () => Promise<ToolKey>) {
    this.key = key;
  }

  /** A token for `scopes` at `registration`'s platform: the cached one, or a new one. */
  async token(registration: LtiRegistration, scopes: string[]): Promise<string> {
    const scope = [...new Set(scopes)].sort().join(' ');
    const cacheKey = `${registration.id} ${scope}`;
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const answer = await this.request(registration, scope);
    const lifetimeMs = (answer.expires_in ?? 3600) * 1000;
    this.cache.set(cacheKey, {
      token: answer.access_token,
      expiresAt: Date.now() + lifetimeMs - EXPIRY_MARGIN_MS,
    });
    return answer.access_token;
  }

  /** Forgets a token the platform refused (revoked early): the next call gets a new one. */
  forget(registration: LtiRegistration, scopes: string[]): void {
    this.cache.delete(`${registration.id} ${[...new Set(scopes)].sort().join(' ')}`);
  }

  private async request(registration: LtiRegistration, scope: string) {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await this.assertion(registration),
      scope,
    });
    const response = await fetch(registration.authTokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok)
      throw new LtiServiceError(
        `token endpoint answered ${response.status}: ${text.slice(0, 300)}`,
        response.status,
      );
    const parsed = TokenAnswer.safeParse(safeJson(text));
    if (!parsed.success) throw new LtiServiceError('token endpoint answered without access_token');
    return parsed.data;
  }

  /** The client assertion: the tool (iss = sub = client id) to the token endpoint (aud). */
  private async assertion(registration: LtiRegistration): Promise<string> {
    const key = await this.key();
    return new SignJWT({})
      .setProtectedHeader({ alg: LTI_ALG, kid: key.kid, typ: 'JWT' })
      .setIssuer(registration.clientId)
      .setSubject(registration.clientId)
      .setAudience(registration.authTokenUrl)
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti(randomBytes(16).toString('base64url'))
      .sign(key.privateKey);
  }
}

/** JSON.parse that answers undefined for what is not JSON. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
