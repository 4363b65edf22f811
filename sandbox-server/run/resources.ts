/**
 * The kernel objects one run holds, taken in order and given back in reverse: a slot (its uids),
 * a fresh network namespace, and the run's cgroups with its limits. Release kills first and
 * gives the slot back only when every process is gone: a surviving process must never share
 * its uid with the next run.
 */
import type { RunCgroups } from '../jail/cgroups/types.ts';
import { netnsPath } from '../jail/netns.ts';
import { acquireSlot, type SlotLease } from '../jail/slot-locks.ts';
import { PEER_MEMORY_BYTES, PEER_PIDS, type RunLimitsConfig } from '../limits.ts';
import type { SandboxHost } from './sandbox-host.ts';

/** The cgroup leaf of the run's process number `index` (its place in the start order). */
export function leafKey(index: number): string {
  return `p${index}`;
}

/** What a run holds while it runs. */
export interface RunResources {
  slot: SlotLease;
  netns: string;
  netnsPath: string;
  cgroups: RunCgroups;
}

/** Takes a slot, a namespace and cgroups of `host`; on failure gives back what was taken, then throws. */
export async function acquireResources(
  host: SandboxHost,
  limits: RunLimitsConfig,
  preferredSlot?: number,
): Promise<RunResources> {
  await host.open();
  const slot = await acquireSlot(host.uidBase, preferredSlot);
  let netns: string | undefined;
  try {
    netns = await host.netns.take();
    const cgroups = host.cgroups.createRun(netns, {
      learner: { memoryBytes: limits.memoryBytes, pids: limits.pids, cpuCores: 1 },
      peer: { memoryBytes: PEER_MEMORY_BYTES, pids: PEER_PIDS, cpuCores: 1 },
    });
    return { slot, netns, netnsPath: netnsPath(netns), cgroups };
  } catch (error) {
    if (netns) await host.netns.discard(netns).catch(() => {});
    slot.release();
    throw error;
  }
}

/** Kills every process of the run and removes what it held; throws after cleaning all it could. */
export async function releaseResources(host: SandboxHost, resources: RunResources): Promise<void> {
  const problems: unknown[] = [];
  let killed = true;
  try {
    await resources.cgroups.killAll();
  } catch (error) {
    killed = false;
    problems.push(error);
  }
  for (const step of [
    () => resources.cgroups.remove(),
    () => host.netns.discard(resources.netns),
  ]) {
    try {
      await step();
    } catch (error) {
      problems.push(error);
    }
  }
  if (killed) resources.slot.release();
  if (problems.length > 0)
    throw new AggregateError(problems, `cleaning up ${resources.netns} failed`);
}
