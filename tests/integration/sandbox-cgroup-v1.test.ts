/**
 * The cgroup v1 driver on this host's v1 hierarchies: the atomic kill reaches processes in a
 * leaf that was left FROZEN (a jailer SIGKILLed between freezing a process's leaf and thawing
 * it), so the sweep of the next jailer removes such a run instead of failing on it forever.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectCgroupMounts } from '../../sandbox-server/jail/cgroups/detect.ts';
import { CgroupV1Driver } from '../../sandbox-server/jail/cgroups/v1.ts';

const mounts = detectCgroupMounts().v1;
const freezer = mounts.get('freezer');
const parent = `handshake-test-${process.pid}`;
const limits = { memoryBytes: 64 * 1024 * 1024, pids: 16, cpuCores: 1 };

function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe.skipIf(!freezer)('cgroup v1 driver', () => {
  afterAll(async () => {
    const driver = new CgroupV1Driver(mounts, parent);
    for (const name of driver.listRuns()) await driver.removeRun(name);
    for (const mount of new Set(mounts.values())) {
      const dir = path.join(mount, parent);
      if (existsSync(dir)) rmdirSync(dir);
    }
  });

  it('kills and removes a run whose process leaf was left frozen', async () => {
    const driver = new CgroupV1Driver(mounts, parent);
    const run = driver.createRun('hs-test-frozen', { learner: limits, peer: limits });
    const leaf = run.addProcess('learner', 'p0');
    const script = `for f in "$@"; do echo $$ > "$f"; done; sleep 60 & echo ready; wait`;
    const child = spawn('/bin/bash', ['-c', script, 'bash', ...leaf.procsFiles], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    const pids = leaf.pids();
    expect(pids).toHaveLength(2);
    const leafState = path.join(
      freezer!,
      parent,
      'hs-test-frozen',
      'learner',
      'p0',
      'freezer.state',
    );
    writeFileSync(leafState, 'FROZEN');

    const started = performance.now();
    await driver.removeRun('hs-test-frozen');
    // Without thawing the leaf, SIGKILL never lands and this takes 20 rounds, then throws.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(driver.listRuns()).toEqual([]);
  });
});
