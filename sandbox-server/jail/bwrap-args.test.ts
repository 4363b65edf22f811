import { describe, expect, it } from 'vitest';
import { bwrapOptions, encodeArgs, type BwrapSpec } from './bwrap-args.ts';

const spec: BwrapSpec = {
  fdFiles: [
    { fd: 5, path: '/etc/passwd' },
    { fd: 6, path: '/app/client.py' },
  ],
  roBinds: [{ source: '/etc/ld.so.cache', dest: '/etc/ld.so.cache' }],
  tmpBytes: 16 * 1024 * 1024,
  shmBytes: 8 * 1024 * 1024,
  chdir: '/app',
  env: { PATH: '/usr/bin', HOME: '/tmp' },
};

/** The value following `flag` at each of its occurrences. */
function valuesOf(args: string[], flag: string): string[] {
  return args.flatMap((arg, index) => (arg === flag ? [args[index + 1]!] : []));
}

describe('bwrapOptions', () => {
  const args = bwrapOptions(spec);

  it('unshares every namespace except the network, which the run shares', () => {
    for (const flag of [
      '--unshare-user',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--unshare-cgroup-try',
    ]) {
      expect(args).toContain(flag);
    }
    expect(args).not.toContain('--unshare-net');
    expect(args).not.toContain('--unshare-all');
    expect(args).not.toContain('--share-net');
  });

  it('cannot make nested user namespaces, dies with its parent and has its own session', () => {
    expect(args).toEqual(
      expect.arrayContaining(['--disable-userns', '--die-with-parent', '--new-session']),
    );
  });

  it('starts from an empty environment', () => {
    expect(args.indexOf('--clearenv')).toBeLessThan(args.indexOf('--setenv'));
    expect(valuesOf(args, '--setenv')).toEqual(['PATH', 'HOME']);
  });

  it('places every fd file read-only at its path', () => {
    expect(valuesOf(args, '--ro-bind-data')).toEqual(['5', '6']);
    const at = args.indexOf('--ro-bind-data');
    expect(args.slice(at, at + 3)).toEqual(['--ro-bind-data', '5', '/etc/passwd']);
    expect(valuesOf(args, '--dir')).toContain('/app');
  });

  it('binds only /usr and the named host files, all read-only', () => {
    expect(args).not.toContain('--bind');
    expect(valuesOf(args, '--ro-bind')).toEqual(['/usr', '/etc/ld.so.cache']);
  });

  it('sizes /tmp and /dev/shm', () => {
    expect(valuesOf(args, '--size')).toEqual([String(16 * 1024 * 1024), String(8 * 1024 * 1024)]);
    expect(valuesOf(args, '--tmpfs')).toEqual(['/tmp', '/dev/shm']);
  });

  it('remounts / and /dev read-only after every mount is made', () => {
    const lastMount = Math.max(args.lastIndexOf('--ro-bind-data'), args.lastIndexOf('--tmpfs'));
    expect(valuesOf(args, '--remount-ro')).toEqual(['/dev', '/']);
    expect(args.indexOf('--remount-ro')).toBeGreaterThan(lastMount);
  });

  it('adds a seccomp fd only when one is given', () => {
    expect(args).not.toContain('--seccomp');
    expect(valuesOf(bwrapOptions({ ...spec, seccompFd: 9 }), '--seccomp')).toEqual(['9']);
  });
});

describe('encodeArgs', () => {
  it('NUL-terminates each argument', () => {
    expect(encodeArgs(['--a', 'b c']).toString()).toBe('--a\0b c\0');
  });

  it('refuses an argument holding a NUL, which would split it', () => {
    expect(() => encodeArgs(['a\0--bind'])).toThrow(/NUL/);
  });
});
