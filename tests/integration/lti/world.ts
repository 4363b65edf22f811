/**
 * The world every LTI integration test starts in: a fresh app context (SQLite in a temp dir),
 * a mock platform registered with the tool, and the tool on 127.0.0.1 whose JWKS the platform
 * trusts. Either the app's own route modules, set up from the environment as the app is
 * (startLtiWorld), or the LTI handlers with test deps (startLtiHandlerWorld).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import type { AuthContext } from '../../../lib/server/auth/context.ts';
import { installTestContext } from '../../../lib/server/auth/test-support.ts';
import { createLtiRegistration, type LtiRegistration } from '../../../lib/server/db/index.ts';
import type { LtiRouteDeps } from '../../../lib/server/lti/routes.ts';
import { signInLaunch } from '../../../lib/server/lti/sessions.ts';
import type { LessonRef, SignInDeps } from '../../../lib/server/lti/sign-in.ts';
import { startMockPlatform, type MockPlatform } from './mock-platform.ts';
import {
  startRouteServer,
  startToolServer,
  type RouteHandler,
  type ToolServer,
} from './tool-server.ts';

type TestContext = AuthContext & { close(): Promise<void> };

/** A running LTI world and how to take it down. */
export interface LtiWorld {
  context: TestContext;
  platform: MockPlatform;
  registration: LtiRegistration;
  tool: ToolServer;
  /** Stops the tool and the platform, closes the context, removes the data dir. */
  close(): Promise<void>;
}

/** A world of the LTI handlers, with the faults they logged. */
export interface LtiHandlerWorld extends LtiWorld {
  faults: unknown[];
}

/**
 * Serves the app's own route modules (`routes`, path → handler) with a fresh app context, the
 * app's environment pointing at a temp data dir (plus `env`) and the tool as its public origin.
 */
export async function startLtiWorld(
  routes: Record<string, RouteHandler>,
  env: Record<string, string> = {},
): Promise<LtiWorld> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'handshake-lti-app-'));
  // The app's modules read their data dir (tool key, secret) from the environment.
  vi.stubEnv('HANDSHAKE_DATA_DIR', dataDir);
  vi.stubEnv('HANDSHAKE_DATABASE_URL', '');
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const world = await startWorld(dataDir, () => startRouteServer(routes));
  // The app takes its public origin from the allowed origins (lib/server/lti/app-context.ts).
  vi.stubEnv('HANDSHAKE_ALLOWED_ORIGINS', world.tool.origin);
  return {
    ...world,
    close: async () => {
      await world.close();
      vi.unstubAllEnvs();
    },
  };
}

/** What the handlers' tool does with a valid launch. */
export interface HandlerOptions {
  /** The lessons a sign-in knows (none unless given). */
  lessons?: LessonRef[];
  /** Replaces signing in (the default) as what a valid launch leads to. */
  onLaunch?: LtiRouteDeps['onLaunch'];
}

/** Serves the LTI handlers of lib/server/lti/routes.ts with test deps that collect faults. */
export async function startLtiHandlerWorld(options: HandlerOptions = {}): Promise<LtiHandlerWorld> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'handshake-lti-handlers-'));
  const faults: unknown[] = [];
  const world = await startWorld(dataDir, async (context) => {
    let origin = '';
    const deps = handlerDeps(context, options, () => origin, faults);
    const tool = await startToolServer(deps, dataDir);
    origin = tool.origin;
    return tool;
  });
  return { ...world, faults };
}

/** The handlers' deps: the world's database and context, its tool's origin, `faults` kept. */
function handlerDeps(
  context: TestContext,
  options: HandlerOptions,
  toolOrigin: () => string,
  faults: unknown[],
): LtiRouteDeps {
  const signIn: SignInDeps = {
    context: async () => context,
    lessons: async () => options.lessons ?? [],
  };
  return {
    db: async () => context.db,
    toolOrigin,
    onLaunch: options.onLaunch ?? ((launch) => signInLaunch(signIn, launch)),
    logFault: (_what, error) => faults.push(error),
    // No Deep Linking here (deep-linking.test.ts): the key is never asked for.
    toolKey: () => Promise.reject(new Error('unused')),
    signIn,
  };
}

/** The context, the registered platform and the tool `serve` starts, its key in `dataDir`. */
async function startWorld(
  dataDir: string,
  serve: (context: TestContext) => Promise<ToolServer>,
): Promise<LtiWorld> {
  const context = await installTestContext();
  const platform = await startMockPlatform();
  const registration = await createLtiRegistration(context.db, {
    issuer: platform.issuer,
    clientId: platform.clientId,
    authLoginUrl: platform.authLoginUrl,
    authTokenUrl: platform.authTokenUrl,
    jwksUrl: platform.jwksUrl,
    deploymentIds: [platform.deploymentId],
  });
  const tool = await serve(context);
  platform.services.toolJwksUrl = `${tool.origin}/api/lti/jwks`;
  return {
    context,
    platform,
    registration,
    tool,
    close: async () => {
      await tool.close();
      await platform.close();
      await context.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
