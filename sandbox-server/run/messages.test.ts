import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../limits.ts';
import { endMessage, formatBytes } from './messages.ts';

describe('endMessage', () => {
  it('names the limit and its value', () => {
    expect(endMessage('time-limit', DEFAULT_LIMITS, 'en')).toMatch(/^time limit of 10 s reached/);
    expect(endMessage('output-limit', DEFAULT_LIMITS, 'en')).toMatch(
      /^output limit of 1 MiB reached/,
    );
    expect(endMessage('memory-limit', DEFAULT_LIMITS, 'en')).toMatch(/memory limit of 256 MiB/);
    expect(endMessage('cpu-limit', DEFAULT_LIMITS, 'en')).toMatch(/CPU time limit of 5 s/);
    expect(endMessage('process-limit', DEFAULT_LIMITS, 'en')).toMatch(/too many processes.*64/);
  });

  it('speaks Chinese to a Chinese learner', () => {
    expect(endMessage('time-limit', { ...DEFAULT_LIMITS, wallSeconds: 2.5 }, 'zh')).toContain(
      '2.5 s',
    );
    expect(endMessage('time-limit', DEFAULT_LIMITS, 'zh')).toMatch(/时间限制/);
  });
});

describe('formatBytes', () => {
  it('uses the largest whole unit', () => {
    expect(formatBytes(1024 * 1024)).toBe('1 MiB');
    expect(formatBytes(512 * 1024)).toBe('512 KiB');
    expect(formatBytes(100)).toBe('100 bytes');
    expect(formatBytes(1.5 * 1024 * 1024 + 1)).toBe('1.5 MiB');
  });
});
