/**
 * Picks the cgroup implementation for this host at start: v1 when the memory controller is on a
 * v1 hierarchy (our machines, and hybrid systemd setups), otherwise the v2 unified tree.
 */
import { detectCgroupMounts, type CgroupMounts } from './detect.ts';
import type { CgroupDriver } from './types.ts';
import { CgroupV1Driver } from './v1.ts';
import { CgroupV2Driver } from './v2.ts';

/** Directory under each hierarchy root that holds all runs' groups. */
export const CGROUP_PARENT = 'handshake';

/** Chooses v1 or v2 from the given (or this host's) mounts. */
export function createCgroupDriver(
  mounts: CgroupMounts = detectCgroupMounts(),
  parent: string = CGROUP_PARENT,
): CgroupDriver {
  if (mounts.v1.has('memory')) return new CgroupV1Driver(mounts.v1, parent);
  if (mounts.v2) return new CgroupV2Driver(mounts.v2, parent);
  throw new Error('no cgroup hierarchy is mounted (neither a v1 memory controller nor cgroup2)');
}

let hostDriver: CgroupDriver | undefined;

/** The driver for this host, detected once. */
export function hostCgroupDriver(): CgroupDriver {
  hostDriver ??= createCgroupDriver();
  return hostDriver;
}
