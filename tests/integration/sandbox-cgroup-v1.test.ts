/**
 * The cgroup v1 driver on this host's v1 hierarchies: the atomic kill reaches processes in a
 * leaf that was left FROZEN (a jailer SIGKILLed between freezing a process's leaf and thawing
 * it), so the sweep of the next jailer removes such a run instead of failing on it forever.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ownCgroupMounts } from '../../sandbox-server/jail/cgroups/own.ts';
import { CGROUP_PARENT } from '../../sandbox-server/jail/cgroups/driver.ts';
import { CgroupV1Driver, v1CpuShares } from '../../sandbox-server/jail/cgroups/v1.ts';
import { CPU_SHARE_STEPS } from '../../sandbox-server/run/cpu-share.ts';
import { eventOf, runFiles } from './sandbox-harness.ts';

const mounts = ownCgroupMounts().v1;
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

  it("sets a run's CPU weight against other runs on request", async () => {
    const driver = new CgroupV1Driver(mounts, parent);
    const run = driver.createRun('hs-test-weight', { learner: limits, peer: limits });
    const shares = path.join(mounts.get('cpu')!, parent, 'hs-test-weight', 'cpu.shares');
    expect(readFileSync(shares, 'utf8').trim()).toBe('1024');
    run.setCpuShare(1 / 8);
    expect(readFileSync(shares, 'utf8').trim()).toBe('128');
    run.setCpuShare(1 / 1024);
    expect(readFileSync(shares, 'utf8').trim()).toBe('2');
    await run.remove();
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

describe.skipIf(!freezer)('a run that burns CPU', () => {
  it('steps down to the lowest CPU weight, so runs just starting go first', async () => {
    const spin = 'print("spinning", flush=True)\nwhile True:\n    pass\n';
    const lowest = String(v1CpuShares(CPU_SHARE_STEPS.at(-1)!.share));
    const seen = new Set<string>();
    let shares = '';
    const run = await runFiles(
      { 'spin.py': spin },
      {
        // The last step comes after 1 s of CPU: on a busy machine that takes many seconds.
        limits: { wallSeconds: 20 },
        onEvent: (event, handle) => {
          if (event.type !== 'output') return;
          const dir = path.join(mounts.get('cpu')!, CGROUP_PARENT, handle.sandbox()!.netns);
          // The monitor lowers it step by step as the learner's code uses CPU.
          const poll = setInterval(() => {
            shares = readFileSync(path.join(dir, 'cpu.shares'), 'utf8').trim();
            seen.add(shares);
            if (shares !== lowest) return;
            clearInterval(poll);
            handle.stop();
          }, 20);
        },
      },
    );
    expect(eventOf(run, 'run-finished')).toMatchObject({ reason: 'stopped' });
    expect(shares).toBe(lowest);
    expect(seen).toContain(String(v1CpuShares(CPU_SHARE_STEPS[0]!.share)));
  });
});
