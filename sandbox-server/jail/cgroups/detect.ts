/**
 * Finds how cgroups are mounted: a v2 unified tree, or v1 hierarchies (one mount per controller,
 * or several controllers sharing one, like cpu,cpuacct). Parsing is pure; detection reads
 * /proc/self/mounts once.
 */
import { readFileSync } from 'node:fs';

/** Where each cgroup hierarchy is mounted. */
export interface CgroupMounts {
  /** Mount point of each v1 controller that is mounted (e.g. memory → /sys/fs/cgroup/memory). */
  v1: Map<string, string>;
  /** Mount point of the v2 unified hierarchy, if any. */
  v2?: string;
}

/** Parses the text of /proc/self/mounts. */
export function parseCgroupMounts(mountsText: string): CgroupMounts {
  const v1 = new Map<string, string>();
  let v2: string | undefined;
  for (const line of mountsText.split('\n')) {
    const [, mountPoint, fsType, options] = line.split(' ');
    if (!mountPoint || !options) continue;
    if (fsType === 'cgroup2') v2 ??= unescapeMount(mountPoint);
    if (fsType !== 'cgroup') continue;
    for (const option of options.split(',')) {
      if (V1_CONTROLLER_NAMES.has(option)) v1.set(option, unescapeMount(mountPoint));
    }
  }
  return { v1, v2 };
}

const V1_CONTROLLER_NAMES = new Set([
  'memory',
  'pids',
  'cpu',
  'cpuacct',
  'freezer',
  'cpuset',
  'blkio',
  'devices',
  'net_cls',
  'perf_event',
  'hugetlb',
]);

/** /proc/mounts escapes spaces and friends as octal (\040). */
function unescapeMount(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}

/** Reads the mounts of this host. */
export function detectCgroupMounts(): CgroupMounts {
  return parseCgroupMounts(readFileSync('/proc/self/mounts', 'utf8'));
}
