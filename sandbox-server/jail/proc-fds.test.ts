import { describe, expect, it } from 'vitest';
import { findProgram, parseStat, socketInodes } from './proc-fds.ts';
import net from 'node:net';

describe('parseStat', () => {
  it('reads ppid, process group and session', () => {
    expect(parseStat('42 (python3) S 41 42 42 0 -1 4194560 1 0')).toEqual({
      pid: 42,
      ppid: 41,
      pgrp: 42,
      session: 42,
    });
  });

  it('is not fooled by a command name with spaces and parentheses', () => {
    expect(parseStat('7 (a) b) S 1 2 3 0')).toEqual({ pid: 7, ppid: 1, pgrp: 2, session: 3 });
  });

  it('returns null for text that is not a stat line', () => {
    expect(parseStat('nonsense')).toBeNull();
  });
});

describe('findProgram', () => {
  it('finds nothing among pids that are not descendants of the launcher', () => {
    expect(findProgram(process.pid, [process.pid])).toBeNull();
  });
});

describe('socketInodes', () => {
  it('lists the socket inodes this process holds', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      expect(socketInodes([process.pid]).size).toBeGreaterThan(0);
      expect(socketInodes([2 ** 22 + 1]).size).toBe(0);
    } finally {
      server.close();
    }
  });
});
