import { describe, expect, it } from 'vitest';
import { nicknameKey, normalizeJoinCode } from '../db/ids.ts';
import { cleanNickname, formatJoinCode } from './codes.ts';

describe('join codes as learners see them', () => {
  it('are shown in two halves and read back however typed', () => {
    expect(formatJoinCode('7K3MQ9TX')).toBe('7K3M-Q9TX');
    expect(normalizeJoinCode(formatJoinCode('7K3MQ9TX').toLowerCase())).toBe('7K3MQ9TX');
  });
});

describe('nicknames', () => {
  it('keep what was typed, trimmed, up to 40 characters (any script)', () => {
    expect(cleanNickname('  Ada   L.  ')).toBe('Ada L.');
    expect(cleanNickname('小明')).toBe('小明');
    expect(cleanNickname('x'.repeat(40))).toHaveLength(40);
    expect(cleanNickname('x'.repeat(41))).toBeNull();
    expect(cleanNickname('   ')).toBeNull();
  });

  it('refuse control and direction-override characters', () => {
    expect(cleanNickname('a\u0000b')).toBeNull();
    expect(cleanNickname('evil\u202Egnp.exe')).toBeNull();
  });

  it('clash when they differ only in case or width', () => {
    expect(nicknameKey('ＡＤＡ')).toBe(nicknameKey('ada'));
  });
});
