import { describe, expect, it } from 'vitest';
import {
  chainArgv,
  closeFdsScript,
  launchArgv,
  launchScript,
  shellQuote,
  ulimitScript,
  type LaunchSpec,
} from './launch-command.ts';

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

describe('chainArgv', () => {
  const argv = chainArgv(spec);
  const at = (program: string): number => argv.indexOf(program);

  it('joins the netns as root, then drops privileges, then runs bwrap', () => {
    expect(argv[0]).toBe('/usr/bin/nsenter');
    expect(argv).toContain('--net=/run/netns/hs-1-1');
    expect(at('/usr/bin/setpriv')).toBeGreaterThan(at('/usr/bin/nsenter'));
    expect(at('/usr/bin/bwrap')).toBeGreaterThan(at('/usr/bin/setpriv'));
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

describe('launchScript', () => {
  const script = launchScript(spec);

  it('closes stray fds, joins every cgroup, sets limits, then execs the chain, in that order', () => {
    const steps = [
      'for f in /proc/$$/fd/*',
      `echo $$ > ${spec.cgroupProcs[0]}`,
      `echo $$ > ${spec.cgroupProcs[1]}`,
      'ulimit -S -t 5',
      'exec /usr/bin/nsenter',
    ];
    const positions = steps.map((step) => script.indexOf(step));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('fails closed when a cgroup cannot be joined', () => {
    expect(script).toContain(`echo $$ > ${spec.cgroupProcs[0]} || exit 125`);
  });

  it('is one line, so a warm launcher can read it with `read`', () => {
    expect(script).not.toContain('\n');
  });

  it('runs under bash for a cold launcher', () => {
    expect(launchArgv(spec)).toEqual(['/bin/bash', '--norc', '--noprofile', '-c', script]);
  });
});

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest, escaping quotes', () => {
    expect(shellQuote('/usr/bin/python3')).toBe('/usr/bin/python3');
    expect(shellQuote('{"a":"it\'s $HOME"}')).toBe(`'{"a":"it'\\''s $HOME"}'`);
  });

  it('refuses a newline, which would end the launch line early', () => {
    expect(() => shellQuote('a\nb')).toThrow(/newline/);
  });

  it('round-trips through bash', async () => {
    const { execFileSync } = await import('node:child_process');
    const word = `it's "$HOME" \\ \`x\` ;|&`;
    expect(execFileSync('/bin/bash', ['-c', `printf %s ${shellQuote(word)}`]).toString()).toBe(
      word,
    );
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
