/**
 * The cgroup v2 driver, exercised on this host's unified hierarchy. On a hybrid host it carries
 * no controllers (they sit on v1), so this proves the v2 layout, membership, the atomic
 * cgroup.kill and removal; the limits themselves are proven by the v1 runs on this machine.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectCgroupMounts } from '../../sandbox-server/jail/cgroups/detect.ts';
import { CgroupV2Driver } from '../../sandbox-server/jail/cgroups/v2.ts';

const unified = detectCgroupMounts().v2;

/** A process that still runs (a zombie awaiting its reaper has already been killed). */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
const parent = `handshake-test-${process.pid}`;
const limits = { memoryBytes: 64 * 1024 * 1024, pids: 16, cpuCores: 1 };

describe.skipIf(!unified)('cgroup v2 driver', () => {
  afterAll(async () => {
    if (!unified || !existsSync(path.join(unified, parent))) return;
    const driver = new CgroupV2Driver(unified, parent);
    for (const name of driver.listRuns()) await driver.removeRun(name);
    rmdirSync(path.join(unified, parent));
  });

  it('creates a run, tracks a forking process tree in a leaf, kills it atomically and removes it', async () => {
    const driver = new CgroupV2Driver(unified!, parent);
    const run = driver.createRun('hs-test-1', { learner: limits, peer: limits });
    const runDir = path.join(unified!, parent, 'hs-test-1');
    expect(existsSync(path.join(runDir, 'learner'))).toBe(true);
    expect(driver.listRuns()).toEqual(['hs-test-1']);

    const leaf = run.addProcess('learner', 'p0');
    // Joins the leaf before forking: a background child and a setsid'd daemon that ignore SIGTERM.
    const script = `echo $$ > "$1"; trap '' TERM; sleep 60 & setsid sleep 60 & echo ready; wait`;
    const child = spawn('/bin/bash', ['-c', script, 'bash', leaf.procsFiles[0]!], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    const pids = leaf.pids();
    expect(pids).toContain(child.pid);
    expect(pids.length).toBe(3);

    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await run.killAll();
    expect(await exited).toBe('SIGKILL');
    expect(leaf.pids()).toEqual([]);
    expect(pids.filter(isAlive)).toEqual([]);

    await run.remove();
    expect(existsSync(runDir)).toBe(false);
  });

  it('spares the given launchers in the first round, so they reap their children and exit', async () => {
    const driver = new CgroupV2Driver(unified!, parent);
    const run = driver.createRun('hs-test-2', { learner: limits, peer: limits });
    const leaf = run.addProcess('learner', 'p0');
    const script = `echo $$ > "$1"; sleep 60 & echo ready; wait; exit 7`;
    const child = spawn('/bin/bash', ['-c', script, 'bash', leaf.procsFiles[0]!], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await run.killAll([child.pid!]);
    expect(await exited).toBe(7);
    expect(leaf.pids()).toEqual([]);
    await run.remove();
  });

  it('reports the controllers this host does not delegate to v2', () => {
    const driver = new CgroupV2Driver(unified!, parent);
    const offered = new Set(
      ['memory', 'pids', 'cpu'].filter((name) => !driver.missing.includes(name)),
    );
    expect([...offered, ...driver.missing].sort()).toEqual(['cpu', 'memory', 'pids']);
  });
});
