/**
 * What the app's LTI routes need, opened once per process: the app's database (the auth
 * context's handle), the tool's key, the public origin and what a launch leads to.
 */
import { loadConfig, loadDatabaseConfig } from '../../../sandbox-server/config.ts';
import { listLessons } from '../../lessons/catalog.ts';
import { authContext } from '../auth/context.ts';
import { loadToolKey, type ToolKey } from './keys.ts';
import { answerLaunch, type LtiRouteDeps } from './routes.ts';
import { GradeSender } from './grades.ts';
import { syncRoster } from './nrps.ts';
import { LtiServiceError, ServiceTokens } from './service-token.ts';
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

const TOKENS = Symbol.for('handshake.ltiServiceTokens');
const tokenHolder = globalThis as typeof globalThis & { [key: symbol]: ServiceTokens | undefined };

/** The app's service tokens (AGS, NRPS), cached per process. */
export function appServiceTokens(): ServiceTokens {
  tokenHolder[TOKENS] ??= new ServiceTokens(appToolKey);
  return tokenHolder[TOKENS];
}

/** Fills a class's roster from its course's NRPS in the background; a failure is logged. */
function syncRosterLater(classId: string): void {
  void authContext()
    .then((context) => syncRoster(context, appServiceTokens(), classId))
    .catch((error: unknown) => {
      // A course without NRPS is normal; anything else is worth a line in the log.
      if (!(error instanceof LtiServiceError && /no LMS course/.test(error.message)))
        logLtiFault(`syncing the roster of class ${classId}`, error);
    });
}

/** What signing a launch in needs in the app: its auth context and its lessons. */
export const appSignInDeps: SignInDeps = {
  context: authContext,
  lessons: async () =>
    (await listLessons()).map(({ id, slug, text }) => ({
      id,
      slug,
      titles: { en: text.en?.title, zh: text.zh?.title },
    })),
  afterInstructorLaunch: syncRosterLater,
};

/**
 * The tool's public origin for a request: its own when it is one of HANDSHAKE_ALLOWED_ORIGINS
 * (or none are set), else the first allowed one (a proxy that rewrote Host).
 */
export function publicOrigin(request: Request, allowedOrigins: readonly string[]): string {
  const own = new URL(request.url).origin;
  const exact = allowedOrigins.filter((origin) => origin !== '*');
  return exact.length === 0 || exact.includes(own) ? own : exact[0]!;
}

/** The LTI routes' dependencies in the app. */
export function appLtiDeps(): LtiRouteDeps {
  const deps: LtiRouteDeps = {
    db: async () => (await authContext()).db,
    toolOrigin: (request) => publicOrigin(request, loadConfig().allowedOrigins),
    onLaunch: (launch, request) => answerLaunch(launch, request, deps),
    signIn: appSignInDeps,
    toolKey: appToolKey,
    logFault: logLtiFault,
  };
  return deps;
}

/** How often the app's sender looks for scores whose retry came due. */
const GRADE_POLL_MS = 60_000;

const holder = globalThis as typeof globalThis & { [key: symbol]: GradeSender | undefined };
const SENDER = Symbol.for('handshake.ltiGradeSender');

/** Logs a fault of the LTI code on the app's stderr. */
export function logLtiFault(what: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`${new Date().toISOString()} FAULT ${what}: ${detail}`);
}

/**
 * The app's grade sender, one per process (on globalThis: Next.js bundles route handlers
 * apart), started on first use; it shares the auth context's database.
 */
export function appGradeSender(): GradeSender {
  let sender = holder[SENDER];
  if (!sender) {
    sender = new GradeSender({
      db: async () => (await authContext()).db,
      tokens: appServiceTokens(),
      lessonTitle: async (lessonId) => {
        const lesson = (await listLessons()).find((l) => l.id === lessonId);
        return lesson?.text.en?.title ?? lesson?.text.zh?.title ?? lessonId;
      },
      logFault: logLtiFault,
    });
    sender.start(GRADE_POLL_MS);
    holder[SENDER] = sender;
  }
  return sender;
}
