/**
 * The app's one auth context: the database, the Better Auth instance and the settings they were
 * made with. Route handlers and pages ask `authContext()`; tests install their own with
 * `setAuthContext`.
 */
import type { Kysely } from 'kysely';
import { loadConfig } from '../../../sandbox-server/config.ts';
import {
  createInstructorAuth,
  isFirstRun,
  type InstructorAuth,
  type SignupPolicy,
} from './instructor-auth.ts';
import { openDatabase, type Engine } from '../db/index.ts';
import { loadSecrets } from '../secrets.ts';
import type { AuthDb } from './store.ts';

export interface AuthSettings {
  /** HANDSHAKE_ALLOWED_ORIGINS: the origins forms may be posted from. */
  allowedOrigins: string[];
  trustProxy: boolean;
  signup: SignupPolicy;
}

export interface AuthContext {
  db: AuthDb;
  auth: InstructorAuth;
  settings: AuthSettings;
}

/** Builds a context over an open database. */
export function createAuthContext(input: {
  db: AuthDb;
  engine: Engine;
  /** Better Auth's key (SharedSecrets.authSecret). */
  authSecret: string;
  settings: AuthSettings;
}): AuthContext {
  const auth = createInstructorAuth({
    db: input.db as unknown as Kysely<unknown>,
    engine: input.engine,
    secret: input.authSecret,
    trustedOrigins: input.settings.allowedOrigins,
    signup: input.settings.signup,
    trustProxy: input.settings.trustProxy,
  });
  return { db: input.db, auth, settings: input.settings };
}

/**
 * Creates the instructor named by HANDSHAKE_ADMIN_EMAIL / HANDSHAKE_ADMIN_PASSWORD when no
 * instructor exists yet; a replica starting at the same moment may win the race, which is fine.
 */
export async function ensureAdmin(
  context: AuthContext,
  email: string,
  password: string,
): Promise<void> {
  if (!(await isFirstRun(context.db))) return;
  try {
    await context.auth.api.signUpEmail({ body: { email, password, name: email.split('@')[0]! } });
  } catch (error) {
    if (await isFirstRun(context.db)) throw error;
  }
}

/**
 * One context per process, kept on globalThis: Next.js bundles pages and route handlers
 * separately, and each bundle would otherwise open its own database.
 */
const holder = globalThis as typeof globalThis & {
  [key: symbol]: Promise<AuthContext> | undefined;
};
const KEY = Symbol.for('handshake.authContext');

/** The app's context, opened on first use from the environment. */
export function authContext(): Promise<AuthContext> {
  holder[KEY] ??= openFromEnvironment().catch((error: unknown) => {
    holder[KEY] = undefined; // a database that comes back later is picked up by the next request
    throw error;
  });
  return holder[KEY];
}

/** Installs (or with undefined, forgets) the context the app uses: tests only. */
export function setAuthContext(context: AuthContext | undefined): void {
  holder[KEY] = context ? Promise.resolve(context) : undefined;
}

async function openFromEnvironment(): Promise<AuthContext> {
  const config = loadConfig();
  const { db, engine } = await openDatabase();
  const context = createAuthContext({
    db,
    engine,
    authSecret: loadSecrets({ secret: config.secret, dataDir: config.dataDir }).authSecret,
    settings: {
      allowedOrigins: config.allowedOrigins,
      trustProxy: config.trustProxy,
      signup: config.instructorSignup,
    },
  });
  if (config.adminEmail && config.adminPassword) {
    await ensureAdmin(context, config.adminEmail, config.adminPassword);
  }
  return context;
}
