/**
 * End-to-end setup: builds the app if needed, then starts `next start` and the sandbox server on
 * free ports and tells the tests where they are (inject('appUrl') etc.). Both are stopped after.
 *
 * The sandbox is `node sandbox-server/main.ts` (HANDSHAKE_SANDBOX_PORT, HANDSHAKE_ALLOWED_ORIGINS).
 * HANDSHAKE_E2E_SANDBOX=fake swaps in tests/e2e/support/fake-sandbox.ts (unjailed python3, no peers
 * or lesson checks) for UI work on machines without the real sandbox; tests that need the real
 * one say so and are skipped. HANDSHAKE_CONTENT_DIR picks the lessons (default: content/).
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startFakeSandbox } from './support/fake-sandbox.ts';
import {
  buildAppIfStale,
  freePort,
  startProcess,
  stopProcess,
  waitForHttp,
  waitForSandbox,
} from './support/servers.ts';
import type { Started } from './support/servers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    sandboxUrl: string;
    sandboxKind: 'real' | 'fake';
    contentDir: string;
    /** The app's data dir (its SQLite database), or null for servers started elsewhere. */
    appDataDir: string | null;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * HANDSHAKE_E2E_APP_URL (and HANDSHAKE_E2E_SANDBOX_URL) point the tests at servers already
 * running, e.g. `next dev` while iterating on the UI; nothing is built, started or stopped.
 */
async function attachToRunningServers(
  project: TestProject,
  appUrl: string,
): Promise<() => Promise<void>> {
  const sandboxUrl = process.env.HANDSHAKE_E2E_SANDBOX_URL;
  if (!sandboxUrl)
    throw new Error('e2e: HANDSHAKE_E2E_APP_URL needs HANDSHAKE_E2E_SANDBOX_URL too');
  await waitForSandbox(sandboxUrl, new URL(appUrl).origin, null);
  project.provide('appUrl', appUrl);
  project.provide('sandboxUrl', sandboxUrl);
  project.provide('appDataDir', null);
  return async () => {};
}

/** A copy of the content dir with the e2e fixture lessons added (lesson discovery skips symlinks). */
function withFixtureLessons(contentDir: string, scratch: string): string {
  const merged = path.join(scratch, 'content');
  cpSync(contentDir, merged, { recursive: true });
  cpSync(path.join(root, 'tests', 'e2e', 'fixtures', 'content'), merged, { recursive: true });
  return merged;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const kind = process.env.HANDSHAKE_E2E_SANDBOX === 'fake' ? 'fake' : 'real';
  const contentDir = path.resolve(process.env.HANDSHAKE_CONTENT_DIR ?? path.join(root, 'content'));
  project.provide('sandboxKind', kind);
  project.provide('contentDir', contentDir);
  const external = process.env.HANDSHAKE_E2E_APP_URL;
  if (external) return attachToRunningServers(project, external);
  const logDir = mkdtempSync(path.join(tmpdir(), 'handshake-e2e-'));
  const [appPort, sandboxPort] = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${appPort}`;
  const sandboxUrl = `ws://127.0.0.1:${sandboxPort}/ws`;
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    HANDSHAKE_CONTENT_DIR: contentDir,
    HANDSHAKE_SANDBOX_URL: sandboxUrl,
    HANDSHAKE_SANDBOX_PORT: String(sandboxPort),
    // Its own instance id: the integration tests' servers run on this kernel at the same time.
    HANDSHAKE_INSTANCE: 'e2e',
    HANDSHAKE_ALLOWED_ORIGINS: `${appUrl},http://localhost:${appPort}`,
    // The sandbox records joined learners' runs through this app's internal endpoint, with
    // keys from one master secret (the app's data dir is a temp one, the sandbox's is not).
    HANDSHAKE_APP_URL: appUrl,
    HANDSHAKE_SECRET: process.env.HANDSHAKE_SECRET || randomBytes(32).toString('base64url'),
  };

  const appDataDir = path.join(logDir, 'data');
  buildAppIfStale(root);
  const started: Started[] = [];
  let stopFake: (() => Promise<void>) | null = null;
  const teardown = async () => {
    await Promise.all(started.map(stopProcess));
    await stopFake?.();
  };
  try {
    const next = path.join(root, 'node_modules', '.bin', 'next');
    // The app also shows fixture lessons (e.g. the component palette); the sandbox runs only real ones.
    // Its own database too: the accounts test starts from a first run.
    const appEnv = {
      ...env,
      HANDSHAKE_CONTENT_DIR: withFixtureLessons(contentDir, logDir),
      HANDSHAKE_DATA_DIR: appDataDir,
    };
    const app = startProcess('app', next, ['start', '-p', String(appPort), '-H', '127.0.0.1'], {
      cwd: root,
      env: appEnv,
      logDir,
    });
    started.push(app);
    if (kind === 'real') {
      const sandbox = startProcess('sandbox', process.execPath, ['sandbox-server/main.ts'], {
        cwd: root,
        env,
        logDir,
      });
      started.push(sandbox);
      await waitForSandbox(sandboxUrl, appUrl, sandbox);
    } else {
      const fake = await startFakeSandbox(sandboxPort);
      stopFake = () => new Promise((resolve) => fake.close(() => resolve()));
      await waitForSandbox(sandboxUrl, appUrl, null);
    }
    await waitForHttp(`${appUrl}/en`, app);
  } catch (error) {
    await teardown();
    throw error;
  }
  console.log(`e2e: app ${appUrl}, ${kind} sandbox ${sandboxUrl}, logs in ${logDir}`);
  project.provide('appUrl', appUrl);
  project.provide('sandboxUrl', sandboxUrl);
  project.provide('appDataDir', appDataDir);
  return teardown;
}
