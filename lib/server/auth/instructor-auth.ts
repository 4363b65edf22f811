/**
 * Instructor accounts: Better Auth with email and password, its sessions and rate-limit counters
 * in the shared database, argon2id hashes, origin checks against the app's allowed origins (its
 * CSRF defence, with SameSite=Lax cookies), and sign-up closed once the first instructor exists
 * unless HANDSHAKE_INSTRUCTOR_SIGNUP=open.
 */
import { betterAuth } from 'better-auth';
import { APIError } from 'better-auth/api';
import type { Kysely } from 'kysely';
import { hashPassword, verifyPassword } from './password.ts';
import type { Engine } from '../db/index.ts';
import type { AuthDb } from './store.ts';

/** Who may create an instructor account: only the first one, or anyone who can reach the page. */
export type SignupPolicy = 'first' | 'open';

export interface InstructorAuthOptions {
  db: Kysely<unknown>;
  engine: Engine;
  /** Signs session cookies; at least 32 characters. */
  secret: string;
  /** Origins whose pages may post to the auth endpoints (HANDSHAKE_ALLOWED_ORIGINS). */
  trustedOrigins: string[];
  signup: SignupPolicy;
  /** Read the client address from X-Forwarded-For (HANDSHAKE_TRUST_PROXY). */
  trustProxy: boolean;
}

/** Sign-in attempts per client address per minute, and sign-ups. */
export const SIGN_IN_PER_MINUTE = 5;
export const SIGN_UP_PER_MINUTE = 3;
export const PASSWORD_MIN = 10;
/** The message of the error Better Auth returns when sign-up is closed. */
export const SIGNUP_CLOSED = 'SIGNUP_CLOSED';

/** True when no instructor account exists yet: the first-run page is open. */
export async function isFirstRun(db: AuthDb): Promise<boolean> {
  const row = await db.selectFrom('user').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/** True when a new instructor account may be made now under `policy`. */
export async function maySignUp(db: AuthDb, policy: SignupPolicy): Promise<boolean> {
  return policy === 'open' || (await isFirstRun(db));
}

/** Cookies are Secure when every origin the app is served from is https. */
export function secureCookies(origins: readonly string[]): boolean {
  return origins.length > 0 && origins.every((origin) => origin.startsWith('https://'));
}

/**
 * Better Auth's base URL: the request's own host when it is one of the allowed origins' hosts,
 * else the first allowed origin (a wildcard origin leaves it to the request).
 */
export function baseUrlFor(origins: readonly string[]) {
  const exact = origins.filter((origin) => origin !== '*');
  if (exact.length === 0) return undefined;
  return {
    allowedHosts: exact.map((origin) => new URL(origin).host),
    fallback: exact[0],
    protocol: 'auto' as const,
  };
}

/** The Better Auth instance for instructors. */
export function createInstructorAuth(options: InstructorAuthOptions) {
  const db = options.db as AuthDb;
  return betterAuth({
    appName: 'Handshake',
    database: { db: options.db, type: options.engine },
    secret: options.secret,
    basePath: '/api/auth',
    baseURL: baseUrlFor(options.trustedOrigins),
    trustedOrigins: options.trustedOrigins,
    telemetry: { enabled: false },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN,
      maxPasswordLength: 256,
      autoSignIn: true,
      password: {
        hash: hashPassword,
        verify: ({ hash, password }) => verifyPassword(hash, password),
      },
    },
    session: { expiresIn: 7 * 24 * 3600, updateAge: 24 * 3600 },
    rateLimit: {
      enabled: true,
      storage: 'database', // shared by every replica
      window: 60,
      max: 100,
      customRules: {
        '/sign-in/email': { window: 60, max: SIGN_IN_PER_MINUTE },
        '/sign-up/email': { window: 60, max: SIGN_UP_PER_MINUTE },
      },
    },
    advanced: {
      useSecureCookies: secureCookies(options.trustedOrigins),
      defaultCookieAttributes: { sameSite: 'lax', httpOnly: true },
      ipAddress: options.trustProxy ? { ipAddressHeaders: ['x-forwarded-for'] } : undefined,
    },
    databaseHooks: {
      user: {
        create: {
          // Enforced here, under every sign-up path (our form and Better Auth's own endpoint).
          before: async (user) => {
            if (!(await maySignUp(db, options.signup))) {
              throw new APIError('FORBIDDEN', { message: SIGNUP_CLOSED });
            }
            return { data: user };
          },
        },
      },
    },
  });
}

/** The Better Auth instance type. */
export type InstructorAuth = ReturnType<typeof createInstructorAuth>;
