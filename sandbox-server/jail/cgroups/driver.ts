/**
 * Picks the cgroup implementation for this host at start: v1 when the memory controller is on a
 * v1 hierarchy (our machines, and hybrid systemd setups), otherwise the v2 unified tree. Runs are
 * made under this process's own group in each hierarchy (own.ts), in a `handshake` directory.
 */
import type { CgroupMounts } from './detect.ts';
import { ownCgroupMounts } from './own.ts';
import type { CgroupDriver } from './types.ts';
import { CgroupV1Driver, V1_CONTROLLERS } from './v1.ts';
import { CgroupV2Driver } from './v2.ts';

/** Directory under the server's own group in each hierarchy that holds all its runs' groups. */
export const CGROUP_PARENT = 'handshake';

/** Chooses v1 or v2 from the given hierarchies (by default, this process's own groups). */
export function createCgroupDriver(
  mounts: CgroupMounts = ownCgroupMounts(),
  parent: string = CGROUP_PARENT,
): CgroupDriver {
  if (mounts.v1.has('memory')) return new CgroupV1Driver(mounts.v1, parent);
  if (mounts.v2) return new CgroupV2Driver(mounts.v2, parent);
  throw new Error('no cgroup hierarchy is mounted (neither a v1 memory controller nor cgroup2)');
}

/** The directories that hold this process's runs' groups, one per hierarchy a driver uses. */
export function runParentDirs(mounts: CgroupMounts = ownCgroupMounts()): string[] {
  const v1 = V1_CONTROLLERS.flatMap((name) => mounts.v1.get(name) ?? []);
  const roots = mounts.v1.has('memory') ? v1 : mounts.v2 ? [mounts.v2] : [];
  return [...new Set(roots)].map((root) => `${root}/${CGROUP_PARENT}`);
}
