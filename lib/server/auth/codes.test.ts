import { describe, expect, it } from 'vitest';
import {
  cleanNickname,
  formatJoinCode,
  JOIN_CODE_ALPHABET,
  newJoinCode,
  nicknameKey,
  normalizeJoinCode,
} from './codes.ts';

describe('join codes', () => {
  it('are 8 symbols of Crockford base32 without I, L, O, U', () => {
    const codes = Array.from({ length: 200 }, newJoinCode);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(new Set(codes).size).toBe(codes.length);
    expect(JOIN_CODE_ALPHABET).toHaveLength(32);
  });

  it('read back however a learner types them', () => {
    expect(normalizeJoinCode('7k3m-q9tx')).toBe('7K3MQ9TX');
    expect(normalizeJoinCode(' 7K3M Q9TX ')).toBe('7K3MQ9TX');
    expect(normalizeJoinCode('OIL1-2345')).toBe('0111' + '2345');
    expect(normalizeJoinCode(formatJoinCode('7K3MQ9TX'))).toBe('7K3MQ9TX');
  });

  it('refuse what cannot be a code', () => {
    for (const bad of ['', '7K3MQ9T', '7K3MQ9TXX', '7K3M-Q9TU', "'; drop", '７K3MQ9TX']) {
      expect(normalizeJoinCode(bad)).toBeNull();
    }
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
    expect(nicknameKey('Ada')).not.toBe(nicknameKey('Ava'));
  });
});
