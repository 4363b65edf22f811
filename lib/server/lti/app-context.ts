/**
 * What the app's LTI routes need, opened once per process: the app's database (the auth
 * context's handle), the tool's key, the public origin and what a launch leads to.
 */
import { loadDatabaseConfig } from '../../../sandbox-server/config.ts';
import { listLessons } from '../../lessons/catalog.ts';
import { authContext } from '../auth/context.ts';
import { loadToolKey, type ToolKey } from './keys.ts';
import type { LtiRouteDeps } from './routes.ts';
import { signInLaunch } from './sessions.ts';
import type { SignInDeps } from './sign-in.ts';

let toolKey: Promise<ToolKey> | undefined;

/** The tool's key: HANDSHAKE_LTI_PRIVATE_KEY, else made once in the data dir. */
export function appToolKey(): Promise<ToolKey> {
  toolKey ??= loadToolKey({
    pem: process.env.HANDSHAKE_LTI_PRIVATE_KEY,
    dataDir: loadDatabaseConfig().dataDir,
  });
  return toolKey;
}

/** What signing a launch in needs in the app: its auth context and its lessons. */
export const appSignInDeps: SignInDeps = {
  context: authContext,
  lessons: async () => (await listLessons()).map(({ id, slug }) => ({ id, slug })),
};

/** The LTI routes' dependencies in the app. */
export function appLtiDeps(): LtiRouteDeps {
  return {
    db: async () => (await authContext()).db,
    // TODO(lti): a configured public origin when the app is behind a proxy that rewrites Host.
    toolOrigin: (request) => new URL(request.url).origin,
    onLaunch: (launch) => signInLaunch(appSignInDeps, launch),
    signIn: appSignInDeps,
    logFault: (what, error) => {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`${new Date().toISOString()} FAULT ${what}: ${detail}`);
    },
  };
}
