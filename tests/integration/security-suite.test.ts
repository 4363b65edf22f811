/**
 * The exploit suite (issue 3): every hostile program of tests/security through the real sandbox,
 * twice in a row and then six at a time. Each case asserts its exact outcome; after each, nothing
 * of the run may remain (process, cgroup, network namespace), the host must be unchanged (canary,
 * password files, no file or IPC object of a sandbox uid), and no output may name a host path of
 * the application or carry the server's own environment.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASES,
  CLASSES,
  hostServices,
  hostileSource,
  SERVER_SECRET,
  type ExploitCase,
} from './security-cases.ts';
import { expectHostUnchanged, removeCanary, snapshotHost } from './security-host.ts';
import { DEFAULT_LIMITS } from '../../sandbox-server/limits.ts';
import { expectNothingLeft, outputOf, runFiles, type TestRun } from './sandbox-harness.ts';

/** The application's directory on the host: no run may ever learn it. */
const APP_DIR = path.resolve(import.meta.dirname, '..', '..');
const AT_ONCE = 6;
/** How much longer the wall clocks are in the concurrent pass. */
const CONCURRENT_SLACK = 3;

let snapshot: ReturnType<typeof snapshotHost>;

beforeAll(async () => {
  // A secret in the server's environment: it must never reach learner code.
  process.env.HANDSHAKE_TEST_SECRET = SERVER_SECRET;
  snapshot = snapshotHost();
  await hostServices.start();
});

afterAll(async () => {
  delete process.env.HANDSHAKE_TEST_SECRET;
  removeCanary();
  await hostServices.stop();
});

/** Runs one case, its wall clock times `slack`, and makes every assertion about it. */
async function runCase(exploit: ExploitCase, slack = 1): Promise<void> {
  const source = hostileSource(exploit.file);
  const options = exploit.options?.() ?? {};
  const wallSeconds = (exploit.wallSeconds ?? DEFAULT_LIMITS.wallSeconds) * slack;
  const run = exploit.run
    ? await exploit.run(source)
    : await runFiles(
        { 'main.py': source },
        { ...options, limits: { ...options.limits, wallSeconds } },
      );
  expect(run.record.reason, 'how the run ended').toBe(exploit.reason);
  exploit.check(run, outputOf(run, 'main.py'));
  expectNoHostLeak(run);
  expectNothingLeft(run.info);
  expectHostUnchanged(snapshot);
}

/** No output of any process names the application's host path or the server's secret. */
function expectNoHostLeak(run: TestRun): void {
  for (const event of run.events) {
    if (event.type !== 'output') continue;
    expect(event.data).not.toContain(APP_DIR);
    expect(event.data).not.toContain(SERVER_SECRET);
  }
}

describe('the exploit suite', () => {
  it('holds at least 40 hostile programs, each with a case and a comment naming its attack', () => {
    const files = readdirSync(path.join(import.meta.dirname, '..', 'security')).filter((file) =>
      file.endsWith('.py'),
    );
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(CASES.map((exploit) => exploit.file).sort()).toEqual(files.sort());
    for (const file of files) {
      const source = hostileSource(file);
      expect(source, file).toMatch(/^# Attacks: /);
      expect(source, file).toMatch(/^# Expected: /m);
    }
  });

  for (const pass of ['first pass', 'second pass']) {
    describe(pass, () => {
      for (const group of CLASSES) {
        describe(group, () => {
          for (const exploit of CASES.filter((each) => each.class === group))
            it(`${exploit.file}: ${exploit.proves}`, () => runCase(exploit));
        });
      }
    });
  }

  it(`every case again, ${AT_ONCE} at a time`, async () => {
    const failures: string[] = [];
    const queue = [...CASES];
    const worker = async (): Promise<void> => {
      for (let exploit = queue.shift(); exploit; exploit = queue.shift()) {
        await runCase(exploit, CONCURRENT_SLACK).catch((error: unknown) => {
          const actual = (error as { actual?: unknown }).actual;
          const message = error instanceof Error ? error.message : String(error);
          failures.push(`${exploit!.file}: ${message} ${JSON.stringify(actual) ?? ''}`);
        });
      }
    };
    await Promise.all(Array.from({ length: AT_ONCE }, worker));
    expect(failures).toEqual([]);
  }, 180_000);
});
