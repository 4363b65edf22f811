/**
 * Two sandbox servers on one kernel (two pods on one node): hosts with different instance ids and
 * uid bases run at the same time. Each one's sweep at start removes its own dead predecessor's
 * leftovers and leaves the other's live runs alone; their runs never share a uid or a cgroup; a
 * second live host cannot take an id that is in use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../lib/lessons/define.ts';
import type { RunEvent } from '../../lib/protocol.ts';
import {
  CGROUP_PARENT,
  createCgroupDriver,
  runParentDirs,
} from '../../sandbox-server/jail/cgroups/driver.ts';
import { ownCgroupMounts } from '../../sandbox-server/jail/cgroups/own.ts';
import { createNetns, listNetns } from '../../sandbox-server/jail/netns.ts';
import { DEFAULT_LIMITS } from '../../sandbox-server/limits.ts';
import { SandboxHost } from '../../sandbox-server/run/sandbox-host.ts';
import type { RunHandle, SandboxInfo } from '../../sandbox-server/run/start-run.ts';
import { isSlotUid, UIDS_PER_HOST } from '../../sandbox-server/uid-range.ts';
import { expectNothingLeft } from './sandbox-harness.ts';

// Ids of this test process alone: other test files run servers on this kernel meanwhile.
const A = `a${process.pid.toString(36)}`;
const B = `b${process.pid.toString(36)}`;
const BASE_A = 61000;
const BASE_B = BASE_A + UIDS_PER_HOST;
const limits = { memoryBytes: 64 * 2 ** 20, pids: 16, cpuCores: 1 };
const hosts: SandboxHost[] = [];

afterAll(async () => {
  for (const host of hosts) await host.disposeAsync();
});

function host(instance: string | undefined, uidBase: number): SandboxHost {
  const made = new SandboxHost({ instance, uidBase, readyNetns: 0 });
  hosts.push(made);
  return made;
}

interface LiveRun {
  handle: RunHandle;
  info: SandboxInfo;
  done: Promise<RunRecord>;
}

/** Starts a run that prints and then waits, and resolves once it has printed. */
async function startWaiting(on: SandboxHost, name: string): Promise<LiveRun> {
  let printed = (): void => {};
  const up = new Promise<void>((resolve) => (printed = resolve));
  const handle = on.startRun(
    {
      runId: `two-hosts-${name}-${process.pid}`,
      files: [
        { name: 'main.py', content: 'import time\nprint("up", flush=True)\ntime.sleep(60)\n' },
      ],
      lang: 'en',
      limits: { ...DEFAULT_LIMITS, wallSeconds: 60 },
    },
    (event: RunEvent) => {
      if (event.type === 'output') printed();
    },
  );
  await up;
  return { handle, info: handle.sandbox()!, done: handle.done };
}

/** What the kernel shows of a live run: its namespace, cgroup directories and its processes' uids. */
function onHost(info: SandboxInfo): { netns: boolean; cgroups: string[]; uids: number[] } {
  const cgroups = runParentDirs().map((parent) => path.join(parent, info.netns));
  const mounts = ownCgroupMounts();
  const pidsRoot = mounts.v1.get('pids') ?? mounts.v2!;
  const pids = leafPids(path.join(pidsRoot, CGROUP_PARENT, info.netns, 'learner'));
  const uids = pids.flatMap((pid) => {
    try {
      return [Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1])];
    } catch {
      return [];
    }
  });
  return { netns: listNetns().includes(info.netns), cgroups, uids };
}

/** Pids in the leaf of the run's first process (p0, resources.ts leafKey). */
function leafPids(roleDir: string): string[] {
  try {
    return readFileSync(path.join(roleDir, 'p0', 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** Objects a dead server of `instance` left: a namespace and a run's cgroups. */
async function plantLeftover(instance: string): Promise<string> {
  const name = `hs-${instance}-900`;
  await createNetns(name);
  createCgroupDriver().createRun(name, { learner: limits, peer: limits });
  return name;
}

function exists(name: string): boolean {
  return listNetns().includes(name) || createCgroupDriver().listRuns().includes(name);
}

describe('two sandbox hosts on one kernel', () => {
  it("sweep only their own leftovers, leave each other's live runs alone, and never share a uid or cgroup", async () => {
    const hostA = host(A, BASE_A);
    await hostA.open();
    const firstA = await startWaiting(hostA, 'a1');

    // B's dead predecessor left a namespace and cgroups; B's sweep removes them, not A's run.
    const leftB = await plantLeftover(B);
    const hostB = host(B, BASE_B);
    await hostB.open();
    expect(exists(leftB), "B's own leftover").toBe(false);
    expect(onHost(firstA.info).netns, "A's live run keeps its namespace").toBe(true);
    expect(onHost(firstA.info).uids.length, "A's live run keeps its processes").toBeGreaterThan(0);

    const runB = await startWaiting(hostB, 'b');
    expect(firstA.info.netns).toMatch(new RegExp(`^hs-${A}-\\d+$`));
    expect(runB.info.netns).toMatch(new RegExp(`^hs-${B}-\\d+$`));
    expectApart(firstA.info, runB.info);

    // A restarts (as after a crash) while B's run is live: A's sweep takes A's leftovers only.
    firstA.handle.stop();
    await firstA.done;
    expectNothingLeft(firstA.info);
    await hostA.disposeAsync();
    const leftA = await plantLeftover(A);
    const hostA2 = host(A, BASE_A);
    await hostA2.open();
    expect(exists(leftA), "A's own leftover").toBe(false);
    expect(onHost(runB.info).netns, "B's live run keeps its namespace").toBe(true);
    expect(onHost(runB.info).uids.length, "B's live run keeps its processes").toBeGreaterThan(0);

    const secondA = await startWaiting(hostA2, 'a2');
    // Numbered past the predecessor's names: a name never means two objects.
    expect(Number(secondA.info.netns.split('-').at(-1))).toBeGreaterThan(900);
    expectApart(secondA.info, runB.info);

    for (const run of [secondA, runB]) run.handle.stop();
    for (const run of [secondA, runB]) {
      expect((await run.done).reason).toBe('stopped');
      expectNothingLeft(run.info);
    }
    // expectNothingLeft looks for escaped processes on the default uids; B's are checked here.
    expect(processesWithUid((uid) => isSlotUid(uid, BASE_B))).toEqual([]);
  });

  it('gives hosts without an id the first free id of their process', async () => {
    const taken = host(undefined, BASE_A);
    const next = host(undefined, BASE_B);
    await Promise.all([taken.open(), next.open()]);
    // This file's harness host never runs, so it holds no id.
    expect([taken.instance, next.instance].sort()).toEqual([`p${process.pid}`, `p${process.pid}a`]);
  });

  it('refuses a second live host with an instance id in use', async () => {
    const first = host(`c${process.pid.toString(36)}`, BASE_A);
    await first.open();
    await expect(host(first.instance, BASE_B).open()).rejects.toThrow(
      `sandbox instance ${first.instance} is already running on this host`,
    );
  });
});

/** Asserts that two live runs share no uid, namespace or cgroup, and each runs as its own base's uids. */
function expectApart(a: SandboxInfo, b: SandboxInfo): void {
  expect(isSlotUid(a.learnerUid, BASE_A) && isSlotUid(a.peerUid, BASE_A)).toBe(true);
  expect(isSlotUid(b.learnerUid, BASE_B) && isSlotUid(b.peerUid, BASE_B)).toBe(true);
  const seenA = onHost(a);
  const seenB = onHost(b);
  expect(new Set([a.learnerUid, a.peerUid, b.learnerUid, b.peerUid]).size).toBe(4);
  expect(seenA.uids.length).toBeGreaterThan(0);
  expect(seenB.uids.length).toBeGreaterThan(0);
  expect(seenA.uids.every((uid) => uid === a.learnerUid)).toBe(true);
  expect(seenB.uids.every((uid) => uid === b.learnerUid)).toBe(true);
  expect(a.netns).not.toBe(b.netns);
  expect(seenA.cgroups.some((dir) => seenB.cgroups.includes(dir))).toBe(false);
}

function processesWithUid(matches: (uid: number) => boolean): number[] {
  return readdirPids().filter((pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return !/^State:\s+Z/m.test(status) && matches(Number(/^Uid:\s+(\d+)/m.exec(status)![1]));
    } catch {
      return false;
    }
  });
}

function readdirPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}
