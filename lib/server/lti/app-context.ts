/**
 * What the app's LTI routes need, opened once per process: the app's database (the auth
 * context's handle), the tool's key, the public origin and what a launch leads to.
 */
import { loadDatabaseConfig } from '../../../sandbox-server/config.ts';
import { authContext } from '../auth/context.ts';
import { loadToolKey, type ToolKey } from './keys.ts';
import type { LtiRouteDeps } from './routes.ts';

let toolKey: Promise<ToolKey> | undefined;

/** The tool's key: HANDSHAKE_LTI_PRIVATE_KEY, else made once in the data dir. */
export function appToolKey(): Promise<ToolKey> {
  toolKey ??= loadToolKey({
    pem: process.env.HANDSHAKE_LTI_PRIVATE_KEY,
    dataDir: loadDatabaseConfig().dataDir,
  });
  return toolKey;
}

/** The LTI routes' dependencies in the app. */
export function appLtiDeps(): LtiRouteDeps {
  return {
    db: async () => (await authContext()).db,
    // TODO(lti): a configured public origin when the app is behind a proxy that rewrites Host.
    toolOrigin: (request) => new URL(request.url).origin,
    // TODO(lti): sign the learner / instructor in (context id → class, sub → learner).
    onLaunch: async () => Response.json({ error: 'launch-not-wired' }, { status: 501 }),
    logFault: (what, error) => {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`${new Date().toISOString()} FAULT ${what}: ${detail}`);
    },
  };
}
