import { describe, expect, it } from 'vitest';
import { parseCgroupMounts } from './detect.ts';
import {
  cgroupDirUnder,
  parseCgroupMountRoots,
  parseProcCgroup,
  resolveOwnCgroups,
} from './own.ts';

// This machine's shape: v1 controllers, memory in a group of its own, a hybrid unified tree.
const PROC_CGROUP = `9:name=systemd:/
8:pids:/
4:memory:/process_api/cb80
2:cpu,cpuacct:/
0::/
`;
const MOUNTS = `cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,cpu,cpuacct 0 0
cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0
cgroup /sys/fs/cgroup/pids cgroup rw,pids 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0
`;
const MOUNTINFO = `32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
39 31 0:36 /docker/abc /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw
50 31 0:40 / /proc rw - proc proc rw
`;

describe('own cgroups', () => {
  it('reads the group of each v1 controller and of the unified tree', () => {
    const own = parseProcCgroup(PROC_CGROUP);
    expect(own.v1.get('memory')).toBe('/process_api/cb80');
    expect(own.v1.get('cpuacct')).toBe('/');
    expect(own.v1.has('name=systemd')).toBe(true);
    expect(own.v2).toBe('/');
  });

  it('reads the root of each cgroup mount and nothing else', () => {
    const roots = parseCgroupMountRoots(MOUNTINFO);
    expect(roots.get('/sys/fs/cgroup/pids')).toBe('/docker/abc');
    expect(roots.get('/sys/fs/cgroup/unified')).toBe('/');
    expect(roots.has('/proc')).toBe(false);
  });

  it('places the group below its mount, whatever part of the hierarchy is mounted', () => {
    expect(cgroupDirUnder('/sys/fs/cgroup/memory', '/', '/kubepods/pod1/c1')).toBe(
      '/sys/fs/cgroup/memory/kubepods/pod1/c1',
    );
    // A container without a cgroup namespace: its own group is what is mounted.
    expect(cgroupDirUnder('/sys/fs/cgroup/pids', '/docker/abc', '/docker/abc')).toBe(
      '/sys/fs/cgroup/pids',
    );
    // A group outside the mounted part cannot be reached: the mount itself.
    expect(cgroupDirUnder('/sys/fs/cgroup/pids', '/docker/abc', '/other')).toBe(
      '/sys/fs/cgroup/pids',
    );
  });

  it("resolves every hierarchy to this process's own group", () => {
    const own = resolveOwnCgroups(
      parseCgroupMounts(MOUNTS),
      parseProcCgroup(PROC_CGROUP),
      parseCgroupMountRoots(MOUNTINFO),
    );
    expect(own.v1.get('memory')).toBe('/sys/fs/cgroup/memory/process_api/cb80');
    expect(own.v1.get('cpu')).toBe('/sys/fs/cgroup/cpu,cpuacct');
    expect(own.v1.get('pids')).toBe('/sys/fs/cgroup/pids');
    expect(own.v2).toBe('/sys/fs/cgroup/unified');
  });
});
