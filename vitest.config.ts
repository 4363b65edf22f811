import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { E2eByNameSequencer } from './tests/e2e/support/sequencer.ts';

/** Tests that run learner code in the real sandbox (root, bubblewrap, namespaces). */
const realSandbox = { testTimeout: 30_000, hookTimeout: 30_000 };
/**
 * expect.poll gives up after 1 s by default: a wall-clock bound that a busy CI machine can miss
 * while the state polled for is on its way. A poll that fails still fails, only later.
 */
const expectOptions = { poll: { timeout: 10_000 } };

/** Lessons import the authoring kit by name (lib/lessons/kit-resolver.ts does it outside vitest). */
const resolve = { alias: { '@handshake/lesson': path.resolve('lib/lessons/kit.ts') } };

// Five projects: fast pure-logic unit tests (next to the code); integration tests, lesson
// content tests and classroom load tests, which drive the real sandbox; and end-to-end tests
// in real Chromium. `npm test` runs them all.
export default defineConfig({
  test: {
    sequence: { sequencer: E2eByNameSequencer },
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: [
            'lib/**/*.test.ts',
            'sandbox-server/**/*.test.ts',
            'app/**/*.test.ts',
            'tests/deploy/**/*.test.ts',
          ],
          expect: expectOptions,
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // A throwaway PostgreSQL for the database tests, started only when one asks.
          globalSetup: ['tests/integration/db/postgres-global-setup.ts'],
          expect: expectOptions,
          ...realSandbox,
        },
      },
      {
        resolve,
        // Every lesson in content/: both languages compile, the solution passes its checks in
        // the real sandbox and the starter does not.
        test: {
          name: 'content',
          include: ['tests/content/**/*.test.ts'],
          expect: expectOptions,
          ...realSandbox,
        },
      },
      {
        resolve,
        // A classroom of runs at once through the real server.
        test: {
          name: 'load',
          include: ['tests/load/**/*.test.ts'],
          expect: expectOptions,
          ...realSandbox,
        },
      },
      {
        resolve,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          expect: expectOptions,
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
