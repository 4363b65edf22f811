import { describe, expect, it } from 'vitest';
import { closeFdsScript, launchArgv, ulimitScript, type LaunchSpec } from './launch-command.ts';

const spec: LaunchSpec = {
  cgroupProcs: [
    '/sys/fs/cgroup/memory/handshake/r/learner/p0/cgroup.procs',
    '/sys/fs/cgroup/pids/handshake/r/learner/p0/cgroup.procs',
  ],
  rlimits: {
    cpuSeconds: 5,
    addressSpaceBytes: 1024 ** 3,
    fileSizeBytes: 8 * 1024 ** 2,
    openFiles: 256,
    processes: 80,
  },
  netnsPath: '/run/netns/hs-1-1',
  uid: 61003,
  argsFd: 4,
  keepFds: [4, 5, 6],
  command: ['/usr/bin/python3', '-u', '/app/x.py'],
};

describe('launchArgv', () => {
  const argv = launchArgv(spec);
  const at = (program: string): number => argv.indexOf(program);

  it('joins the cgroups and the netns as root, then drops privileges, then runs bwrap', () => {
    expect(argv[0]).toBe('/bin/bash');
    expect(at('/usr/bin/nsenter')).toBeGreaterThan(at('--'));
    expect(at('/usr/bin/setpriv')).toBeGreaterThan(at('/usr/bin/nsenter'));
    expect(at('/usr/bin/bwrap')).toBeGreaterThan(at('/usr/bin/setpriv'));
    expect(argv).toContain('--net=/run/netns/hs-1-1');
  });

  it('passes the cgroup files before the first -- so the script writes its own pid there', () => {
    expect(argv.slice(argv.indexOf('launcher') + 1, at('--'))).toEqual(spec.cgroupProcs);
  });

  it('drops to the slot uid with no groups, no capabilities and an empty bounding set', () => {
    const setpriv = argv.slice(at('/usr/bin/setpriv'), at('/usr/bin/bwrap'));
    expect(setpriv).toEqual(
      expect.arrayContaining([
        '--reuid=61003',
        '--regid=61003',
        '--clear-groups',
        '--inh-caps=-all',
        '--bounding-set=-all',
      ]),
    );
  });

  it('hands bwrap its options by fd and ends with the command', () => {
    expect(argv.slice(at('/usr/bin/bwrap'))).toEqual([
      '/usr/bin/bwrap',
      '--args',
      '4',
      '--',
      ...spec.command,
    ]);
  });
});

describe('ulimitScript', () => {
  it('sets every limit in bash units and fails closed', () => {
    const script = ulimitScript(spec.rlimits);
    expect(script).toContain('ulimit -S -t 5');
    expect(script).toContain('ulimit -H -t 6');
    expect(script).toContain(`ulimit -v ${1024 ** 2}`);
    expect(script).toContain(`ulimit -f ${8 * 1024}`);
    expect(script).toContain('ulimit -n 256');
    expect(script).toContain('ulimit -u 80');
    expect(script).toContain('ulimit -c 0');
    expect(script.split(';').every((part) => part.includes('|| exit 125'))).toBe(true);
  });

  it('sets the soft CPU limit before the hard one (a hard limit below the soft one is refused)', () => {
    const script = ulimitScript(spec.rlimits);
    expect(script.indexOf('-S -t')).toBeLessThan(script.indexOf('-H -t'));
  });

  it('leaves out limits that are not given (peers have no CPU or address-space limit)', () => {
    const script = ulimitScript({ fileSizeBytes: 1024, openFiles: 64, processes: 10 });
    expect(script).not.toContain('-t');
    expect(script).not.toContain('-v');
  });
});

describe('closeFdsScript', () => {
  it('keeps 0–2 and the listed fds only', () => {
    expect(closeFdsScript([3, 4])).toContain('case " 0 1 2 3 4 "');
  });
});
