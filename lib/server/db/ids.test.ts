import { describe, expect, it } from 'vitest';
import {
  JOIN_CODE_ALPHABET,
  hashToken,
  newId,
  newJoinCode,
  newSessionToken,
  nicknameKey,
  normalizeJoinCode,
} from './ids.ts';

describe('ids and normal forms', () => {
  it('makes 128-bit URL-safe ids and 256-bit session tokens', () => {
    expect(newId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newSessionToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(Array.from({ length: 100 }, newId)).size).toBe(100);
  });

  it('draws join codes of 8 characters without I, L, O or U', () => {
    expect(JOIN_CODE_ALPHABET).toHaveLength(32);
    for (let i = 0; i < 50; i++) expect(newJoinCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
  });

  it('reads a join code however it was typed', () => {
    expect(normalizeJoinCode('ab1c-d0ef')).toBe('AB1CD0EF');
    expect(normalizeJoinCode(' abIc dOeF ')).toBe('AB1CD0EF');
    expect(normalizeJoinCode('abLcdoef')).toBe('AB1CD0EF');
    expect(normalizeJoinCode('ABCDEFGU')).toBeNull();
    expect(normalizeJoinCode('ABC')).toBeNull();
  });

  it('keys nicknames by NFKC lower case, 1 to 40 characters', () => {
    expect(nicknameKey(' Ａnn ')).toBe('ann');
    expect(nicknameKey('ÅSA')).toBe(nicknameKey('åsa'));
    expect(nicknameKey('')).toBeNull();
    expect(nicknameKey('😀'.repeat(40))).not.toBeNull();
    expect(nicknameKey('x'.repeat(41))).toBeNull();
  });

  it('hashes tokens with sha256', () => {
    expect(hashToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
