import { describe, expect, it } from 'vitest';
import { formatBytes, formatSeconds, plural } from './units.ts';

describe('formatBytes', () => {
  it('uses the largest whole unit', () => {
    expect(formatBytes(1024 * 1024, 'en')).toBe('1 MiB');
    expect(formatBytes(512 * 1024, 'zh')).toBe('512 KiB');
    expect(formatBytes(100, 'en')).toBe('100 bytes');
    expect(formatBytes(100, 'zh')).toBe('100 字节');
    expect(formatBytes(1.5 * 1024 * 1024 + 1, 'en')).toBe('1.5 MiB');
  });
});

describe('formatSeconds', () => {
  it('drops a needless .0 and writes the unit as each language does', () => {
    expect(formatSeconds(10, 'en')).toBe('10 s');
    expect(formatSeconds(2.5, 'zh')).toBe('2.5 秒');
    expect(formatSeconds(0.02, 'en')).toBe('0.02 s');
  });
});

describe('plural', () => {
  it('counts words for people', () => {
    expect([plural(1, 'byte'), plural(3, 'byte'), plural(0, 'segment')]).toEqual([
      '1 byte',
      '3 bytes',
      '0 segments',
    ]);
  });
});
