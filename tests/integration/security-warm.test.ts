/**
 * The exploit cases that look at what a process can see and touch, run through sandboxes made
 * ahead, whose Python was started ahead with the bootstrap (sandbox-server/jail/pywarm.ts): the
 * warm path must hold exactly what the cold one does (security-suite.test.ts runs them cold).
 * /proc (pids, mounts, cgroup), the filesystem and /app's writability, fds, the environment,
 * the seccomp policy, limits; and every app directory is gone once the runs are.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROOT } from '../../sandbox-server/jail/pywarm.ts';
import { DEFAULT_LIMITS } from '../../sandbox-server/limits.ts';
import { CASES, hostServices, hostileSource, SERVER_SECRET } from './security-cases.ts';
import { expectHostUnchanged, removeCanary, snapshotHost } from './security-host.ts';
import { expectNothingLeft, outputOf, testHost } from './sandbox-harness.ts';
import { warmRun } from './warm-harness.ts';

testHost.configure({ warmSandboxes: 1, warmSandboxesMax: 6 });

/** The cases whose hostile program probes what the bootstrap could have changed. */
const WARM_CASES = [
  'proc-leaks.py',
  'fs-inventory.py',
  'filesystem.py',
  'host-secrets.py',
  'symlink-tricks.py',
  'dev-nodes.py',
  'kernel-surface.py',
  'syscall-policy.py',
  'rlimit-raise.py',
  'fork-bomb.py',
  'double-fork-daemon.py',
  'setsid-escape.py',
];
const APP_DIR = path.resolve(import.meta.dirname, '..', '..');

let snapshot: ReturnType<typeof snapshotHost>;

beforeAll(async () => {
  process.env.HANDSHAKE_TEST_SECRET = SERVER_SECRET;
  snapshot = snapshotHost();
  await hostServices.start();
});

afterAll(async () => {
  delete process.env.HANDSHAKE_TEST_SECRET;
  removeCanary();
  await hostServices.stop();
  await testHost.disposeAsync();
  const mine = existsSync(APP_ROOT)
    ? readdirSync(APP_ROOT).filter((name) => name.startsWith(`hs-${testHost.instance}-`))
    : [];
  expect(mine).toEqual([]);
});

describe('the exploit cases through a warm Python', () => {
  it('names only cases that exist and run without a harness of their own', () => {
    for (const file of WARM_CASES) {
      const exploit = CASES.find((each) => each.file === file);
      expect(exploit, file).toBeDefined();
      expect(exploit!.run, file).toBeUndefined();
    }
  });

  for (const exploit of CASES.filter((each) => WARM_CASES.includes(each.file))) {
    it(`${exploit.file}: ${exploit.proves}`, async () => {
      const options = exploit.options?.() ?? {};
      const wallSeconds = exploit.wallSeconds ?? DEFAULT_LIMITS.wallSeconds;
      const run = await warmRun(
        { 'main.py': hostileSource(exploit.file) },
        { ...options, limits: { ...options.limits, wallSeconds } },
      );
      expect(run.record.reason, 'how the run ended').toBe(exploit.reason);
      exploit.check(run, outputOf(run, 'main.py'));
      for (const event of run.events) {
        if (event.type !== 'output') continue;
        expect(event.data).not.toContain(APP_DIR);
        expect(event.data).not.toContain(SERVER_SECRET);
        expect(event.data).not.toContain(APP_ROOT);
      }
      expectNothingLeft(run.info);
      expectHostUnchanged(snapshot);
    });
  }
});
