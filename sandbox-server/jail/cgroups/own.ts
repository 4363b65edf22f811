/**
 * This process's own cgroups: where a server's runs are created, so they sit under the server's
 * cgroup (inside its pod's or its service's limits, and out of every other server's tree) rather
 * than at a fixed path at the top of the host's hierarchies, which a privileged pod shares with
 * every other pod on the node. Parsing is pure; detection reads /proc/self/cgroup and mountinfo.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { detectCgroupMounts, type CgroupMounts } from './detect.ts';

/** This process's cgroup path in each hierarchy, as /proc/self/cgroup gives it. */
export interface OwnCgroupPaths {
  /** Per v1 controller (e.g. memory → /kubepods/pod1/abc). */
  v1: Map<string, string>;
  /** In the v2 unified hierarchy. */
  v2?: string;
}

/** Parses /proc/self/cgroup: `id:controllers:path`, `0::path` for v2. */
export function parseProcCgroup(text: string): OwnCgroupPaths {
  const v1 = new Map<string, string>();
  let v2: string | undefined;
  for (const line of text.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    const [, id, controllers, at] = match as unknown as [string, string, string, string];
    if (id === '0' && controllers === '') v2 = at;
    else for (const name of controllers.split(',')) if (name !== '') v1.set(name, at);
  }
  return { v1, v2 };
}

/** The root within its hierarchy of each cgroup mount (field 4 of /proc/self/mountinfo), by mount point. */
export function parseCgroupMountRoots(mountinfo: string): Map<string, string> {
  const roots = new Map<string, string>();
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    const fsType = after?.split(' ')[0];
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;
    const fields = before!.split(' ');
    if (fields[3] && fields[4]) roots.set(unescape(fields[4]), unescape(fields[3]));
  }
  return roots;
}

/**
 * The directory of cgroup `at` under a mount of the hierarchy's `mountRoot`. A container
 * without a cgroup namespace mounts its own group as the root (/docker/<id>, and shows the same
 * path in /proc/self/cgroup); one with a namespace shows `/`. A cgroup outside what is mounted
 * cannot be reached: the mount point itself is the best place left.
 */
export function cgroupDirUnder(mountPoint: string, mountRoot: string, at: string): string {
  const relative = path.posix.relative(mountRoot, at);
  if (relative.startsWith('..')) return mountPoint;
  return path.join(mountPoint, relative);
}

/** `mounts` with each hierarchy's mount point replaced by this process's own group in it. */
export function resolveOwnCgroups(
  mounts: CgroupMounts,
  own: OwnCgroupPaths,
  mountRoots: Map<string, string>,
): CgroupMounts {
  const dirOf = (mountPoint: string, at: string | undefined): string =>
    at === undefined
      ? mountPoint
      : cgroupDirUnder(mountPoint, mountRoots.get(mountPoint) ?? '/', at);
  const v1 = new Map(
    [...mounts.v1].map(([name, mountPoint]) => [name, dirOf(mountPoint, own.v1.get(name))]),
  );
  return { v1, v2: mounts.v2 === undefined ? undefined : dirOf(mounts.v2, own.v2) };
}

/** This host's cgroup hierarchies, each at this process's own group. */
export function ownCgroupMounts(): CgroupMounts {
  return resolveOwnCgroups(
    detectCgroupMounts(),
    parseProcCgroup(readFileSync('/proc/self/cgroup', 'utf8')),
    parseCgroupMountRoots(readFileSync('/proc/self/mountinfo', 'utf8')),
  );
}

/** mountinfo escapes spaces and friends as octal (\040). */
function unescape(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}
