import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  blockedThreads,
  classifyCall,
  parseSyscallLine,
  syscallName,
  waitsOnFd,
} from './proc-blocked.ts';

// Lines as the kernel writes /proc/<tid>/syscall (captured on x86_64 and aarch64).
const X64_RECVFROM = '45 0x3 0x7f1c2a5ff010 0x400 0x0 0x0 0x0 0x7ffd3c1f2a48 0x7f1c2b91e9a6\n';
const X64_READ_STDIN = '0 0x0 0x55d0c3e4a2a0 0x2000 0x0 0x0 0x0 0x7ffe8c0b1b58 0x7f3a1c51a7e2\n';
const X64_POLL = '7 0x7ffd6b1e3f30 0x1 0xea60 0x0 0x0 0x0 0x7ffd6b1e3ee8 0x7f0e2c91ab4f\n';
const ARM64_ACCEPT4 = '242 0x4 0x0 0x0 0x80000 0x0 0x0 0xffffd2a4c6e0 0xffff8a1c3b2c\n';
const NEGATIVE_FD = '45 0xffffffffffffffff 0x0 0x10 0x0 0x0 0x0 0x7ffd3c1f2a48 0x7f1c2b91e9a6\n';

describe('parseSyscallLine', () => {
  it('reads the number in decimal and the six arguments in hex', () => {
    expect(parseSyscallLine(X64_RECVFROM)).toEqual({
      state: 'syscall',
      nr: 45,
      args: [0x3n, 0x7f1c2a5ff010n, 0x400n, 0n, 0n, 0n],
    });
    expect(parseSyscallLine(ARM64_ACCEPT4)).toEqual({
      state: 'syscall',
      nr: 242,
      args: [4n, 0n, 0n, 0x80000n, 0n, 0n],
    });
  });

  it('tells a thread on a CPU and one blocked outside a system call from one in a call', () => {
    expect(parseSyscallLine('running\n')).toEqual({ state: 'running' });
    expect(parseSyscallLine('-1 0x7ffd3c1f2a48 0x7f1c2b91e9a6\n')).toEqual({ state: 'none' });
  });

  it('refuses lines it cannot read rather than guessing', () => {
    expect(parseSyscallLine('')).toEqual({ state: 'none' });
    expect(parseSyscallLine('45 0x3')).toEqual({ state: 'none' });
    expect(parseSyscallLine('45 zz 0 0 0 0 0 0 0')).toEqual({ state: 'none' });
  });
});

describe('syscallName', () => {
  it('knows the blocking calls by their x86_64 and aarch64 numbers', () => {
    expect(syscallName(45, 'x64')).toBe('recvfrom');
    expect(syscallName(288, 'x64')).toBe('accept4');
    expect(syscallName(230, 'x64')).toBe('clock_nanosleep');
    expect(syscallName(7, 'x64')).toBe('poll');
    expect(syscallName(207, 'arm64')).toBe('recvfrom');
    expect(syscallName(242, 'arm64')).toBe('accept4');
    expect(syscallName(73, 'arm64')).toBe('ppoll');
    expect(syscallName(63, 'arm64')).toBe('read');
  });

  it('names an unknown number, and none at all on an architecture it has no table for', () => {
    expect(syscallName(9999, 'x64')).toBe('syscall-9999');
    expect(syscallName(45, 'other')).toBe('syscall-45');
  });
});

describe('classifyCall', () => {
  const socket = { number: 3, kind: 'inet' } as const;
  const pipe = { number: 5, kind: 'file' } as const;
  const stdin = { number: 0, kind: 'file' } as const;

  it('maps receives, sends, accepts and connects whatever the fd', () => {
    for (const call of ['recvfrom', 'recvmsg', 'recvmmsg'])
      expect(classifyCall(call, socket)).toBe('recv');
    for (const call of ['sendto', 'sendmsg', 'sendmmsg'])
      expect(classifyCall(call, socket)).toBe('send');
    expect(classifyCall('accept', socket)).toBe('accept');
    expect(classifyCall('accept4', socket)).toBe('accept');
    expect(classifyCall('connect', socket)).toBe('connect');
  });

  it('maps read and write by what the fd is: a socket, stdin, or something else', () => {
    expect(classifyCall('read', socket)).toBe('recv');
    expect(classifyCall('read', stdin)).toBe('input');
    // Node's child pipes are Unix socket pairs: the sandbox's stdin is one.
    expect(classifyCall('read', { number: 0, kind: 'socket' })).toBe('input');
    expect(classifyCall('read', { number: 0, kind: 'inet' })).toBe('recv');
    expect(classifyCall('read', { number: 4, kind: 'socket' })).toBe('recv');
    expect(classifyCall('read', pipe)).toBe('other');
    expect(classifyCall('write', socket)).toBe('send');
    expect(classifyCall('writev', socket)).toBe('send');
    expect(classifyCall('write', { number: 1, kind: 'file' })).toBe('other');
  });

  it('maps sleeps and every kind of waiting for several fds', () => {
    expect(classifyCall('nanosleep', null)).toBe('sleep');
    expect(classifyCall('clock_nanosleep', null)).toBe('sleep');
    for (const call of ['poll', 'ppoll', 'select', 'pselect6', 'epoll_wait', 'epoll_pwait'])
      expect(classifyCall(call, null)).toBe('select');
  });

  it('leaves the rest as other', () => {
    expect(classifyCall('futex', null)).toBe('other');
    expect(classifyCall('wait4', null)).toBe('other');
    expect(classifyCall('syscall-9999', null)).toBe('other');
  });

  it('takes the fd from the first argument only of calls that wait on one', () => {
    expect(waitsOnFd('recvfrom')).toBe(true);
    expect(waitsOnFd('read')).toBe(true);
    expect(waitsOnFd('poll')).toBe(false);
    expect(waitsOnFd('futex')).toBe(false);
  });

  it('reads a negative first argument as no fd (parsed from the line)', () => {
    const line = parseSyscallLine(NEGATIVE_FD);
    expect(line.state === 'syscall' && BigInt.asIntN(32, line.args[0]!)).toBe(-1n);
    const read = parseSyscallLine(X64_READ_STDIN);
    expect(read.state === 'syscall' && [read.nr, read.args[0]]).toEqual([0, 0n]);
    const poll = parseSyscallLine(X64_POLL);
    expect(poll.state === 'syscall' && [poll.nr, poll.args[1]]).toEqual([7, 1n]);
  });
});

describe('blockedThreads on live processes', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
    child = undefined;
  });

  it('finds a sleeping process in clock_nanosleep or nanosleep', async () => {
    child = spawn('sleep', ['30'], { stdio: 'ignore' });
    await expect
      .poll(() => blockedThreads([child!.pid!]))
      .toEqual([{ call: 'sleep', syscall: expect.stringMatching(/^(clock_)?nanosleep$/) }]);
  });

  it('finds a process reading its stdin pipe waiting for input', async () => {
    child = spawn('cat', [], { stdio: ['pipe', 'ignore', 'ignore'] });
    await expect
      .poll(() => blockedThreads([child!.pid!]))
      .toEqual([{ call: 'input', syscall: 'read' }]);
  });

  it('returns nothing for a process that is gone', () => {
    expect(blockedThreads([2 ** 22 + 1])).toEqual([]);
  });
});
