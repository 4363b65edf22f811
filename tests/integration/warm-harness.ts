/**
 * Runs through a sandbox made ahead, for the tests that compare warm runs with cold ones
 * (pywarm.test.ts, security-warm.test.ts). The test file configures the pool
 * (testHost.configure({ warmSandboxes, warmSandboxesMax })).
 */
import { expect } from 'vitest';
import { DEFAULT_LIMITS } from '../../sandbox-server/limits.ts';
import { prepareRun } from '../../sandbox-server/plan/setup.ts';
import { runFiles, type TestRun, type TestRunOptions, testHost } from './sandbox-harness.ts';

type Files = Record<string, string>;

/**
 * Runs `files` in a sandbox made ahead, whose Python was started ahead too: asks the pool for
 * one of this kind, waits until it is ready (its Python has imported its modules and waits for
 * the go line), then runs. However busy the machine, the run finds it.
 */
export async function warmRun(files: Files, options: TestRunOptions = {}): Promise<TestRun> {
  const setup = prepareRun({
    runId: 'warm-up',
    files: Object.entries(files).map(([name, content]) => ({ name, content })),
    lang: 'en',
    lesson: options.lesson,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
  });
  const pool = testHost.warm;
  pool.setDemand([{ plan: setup.plan, limits: setup.limits, count: 1 }]);
  await expect
    .poll(() => pool.readyFor(setup.plan, setup.limits), { timeout: 60_000, interval: 50 })
    .toBeGreaterThan(0);
  const before = pool.taken;
  const run = await runFiles(files, options);
  expect(pool.taken, 'the run took the sandbox made ahead').toBe(before + 1);
  return run;
}
