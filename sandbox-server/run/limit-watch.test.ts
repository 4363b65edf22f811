import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../limits.ts';
import { limitExplainingExit, limitReached } from './limit-watch.ts';

const idle = { cpuNs: 0, oomKills: 0, pidsLimitHits: 0 };
const limits = { ...DEFAULT_LIMITS, cpuSeconds: 2 };

describe('limitReached', () => {
  it('is null while every counter is within its limit', () => {
    expect(limitReached({ ...idle, cpuNs: 1.9e9 }, limits)).toBeNull();
  });

  it('names memory, then processes, then CPU', () => {
    expect(limitReached({ cpuNs: 3e9, oomKills: 1, pidsLimitHits: 1 }, limits)).toBe(
      'memory-limit',
    );
    expect(limitReached({ cpuNs: 3e9, oomKills: 0, pidsLimitHits: 4 }, limits)).toBe(
      'process-limit',
    );
    expect(limitReached({ ...idle, cpuNs: 2e9 }, limits)).toBe('cpu-limit');
  });
});

describe('limitExplainingExit', () => {
  it('blames the memory limit for a SIGKILL after an OOM kill', () => {
    expect(limitExplainingExit({ ...idle, oomKills: 1 }, 'SIGKILL', limits)).toBe('memory-limit');
  });

  it('blames the CPU limit for SIGXCPU, or a SIGKILL at the budget', () => {
    expect(limitExplainingExit(idle, 'SIGXCPU', limits)).toBe('cpu-limit');
    expect(limitExplainingExit({ ...idle, cpuNs: 1.95e9 }, 'SIGKILL', limits)).toBe('cpu-limit');
  });

  it('blames nothing for an ordinary exit or a kill far from any limit', () => {
    expect(limitExplainingExit({ ...idle, oomKills: 1 }, null, limits)).toBeNull();
    expect(limitExplainingExit(idle, 'SIGKILL', limits)).toBeNull();
    expect(limitExplainingExit(idle, 'SIGSEGV', limits)).toBeNull();
  });
});
