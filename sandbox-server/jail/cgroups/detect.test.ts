import { describe, expect, it } from 'vitest';
import { parseCgroupMounts } from './detect.ts';
import { createCgroupDriver } from './driver.ts';

const V1 = `tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0
cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,relatime,cpu,cpuacct 0 0
cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
cgroup /sys/fs/cgroup/pids cgroup rw,nosuid,pids 0 0
cgroup /sys/fs/cgroup/freezer cgroup rw,freezer 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
`;

const V2 = `proc /proc proc rw 0 0
cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0
`;

describe('parseCgroupMounts', () => {
  it('maps co-mounted v1 controllers to their shared mount', () => {
    const mounts = parseCgroupMounts(V1);
    expect(mounts.v1.get('cpu')).toBe('/sys/fs/cgroup/cpu,cpuacct');
    expect(mounts.v1.get('cpuacct')).toBe('/sys/fs/cgroup/cpu,cpuacct');
    expect(mounts.v1.get('memory')).toBe('/sys/fs/cgroup/memory');
    expect(mounts.v2).toBe('/sys/fs/cgroup/unified');
  });

  it('finds a pure v2 host', () => {
    const mounts = parseCgroupMounts(V2);
    expect(mounts.v1.size).toBe(0);
    expect(mounts.v2).toBe('/sys/fs/cgroup');
  });

  it('unescapes octal escapes in mount points', () => {
    expect(parseCgroupMounts('cgroup2 /a\\040b cgroup2 rw 0 0').v2).toBe('/a b');
  });
});

describe('createCgroupDriver', () => {
  it('uses v1 when the memory controller is on v1 (hybrid hosts included)', () => {
    expect(createCgroupDriver(parseCgroupMounts(V1)).version).toBe(1);
  });

  it('reports v1 controllers the host lacks', () => {
    expect(createCgroupDriver(parseCgroupMounts(V1)).missing).toEqual([]);
    const noFreezer = V1.split('\n')
      .filter((line) => !line.includes('freezer'))
      .join('\n');
    expect(createCgroupDriver(parseCgroupMounts(noFreezer)).missing).toEqual(['freezer']);
  });

  it('uses v2 on a unified host and refuses a host without cgroups', () => {
    expect(createCgroupDriver(parseCgroupMounts(V2)).version).toBe(2);
    expect(() => createCgroupDriver(parseCgroupMounts(''))).toThrow(/no cgroup/);
  });
});
