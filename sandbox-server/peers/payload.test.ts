import { describe, expect, it } from 'vitest';
import { createExpander, HANZI, WORDS } from './payload.ts';

const TEMPLATE = '{word} {number} {token} {zh}';

describe('createExpander', () => {
  // Pinned: a change of the lists or the drawing changes every lesson's per-run text.
  it('gives the text pinned for seed 0', () => {
    expect(createExpander(0)(TEMPLATE)).toBe('orange 92522 154ynxji 鼓水');
  });

  it('repeats the same text for the same seed, and differs for another seed', () => {
    const first = createExpander(42);
    const again = createExpander(42);
    const texts = [first(TEMPLATE), first(TEMPLATE)];
    expect([again(TEMPLATE), again(TEMPLATE)]).toEqual(texts);
    expect(createExpander(43)(TEMPLATE)).not.toBe(texts[0]);
  });

  it('draws each occurrence anew, in call order', () => {
    const expand = createExpander(7);
    const [a, b] = expand('{token}|{token}').split('|');
    expect(a).not.toBe(b);
    const values = new Set(Array.from({ length: 20 }, () => expand('{number}')));
    expect(values.size).toBeGreaterThan(15);
  });

  it('draws each placeholder from its alphabet and range', () => {
    const expand = createExpander(123);
    for (let i = 0; i < 300; i++) {
      const [word, number, token, zh] = expand(TEMPLATE).split(' ');
      expect(WORDS).toContain(word);
      expect(word).toMatch(/^[a-z]+$/);
      expect(Number(number)).toBeGreaterThanOrEqual(0);
      expect(Number(number)).toBeLessThanOrEqual(99_999);
      expect(number).toMatch(/^(0|[1-9]\d*)$/);
      expect(token).toMatch(/^[a-z0-9]{8}$/);
      expect([...zh!].length).toBeGreaterThanOrEqual(2);
      expect([...zh!].length).toBeLessThanOrEqual(4);
      for (const char of zh!) expect(HANZI).toContain(char);
      expect(Buffer.byteLength(zh!)).toBe(3 * [...zh!].length);
    }
  });

  it('leaves text without placeholders, and unknown or JSON braces, as they are', () => {
    const expand = createExpander(1);
    expect(expand('hello\n')).toBe('hello\n');
    expect(expand('{"a": 1} {words} {}')).toBe('{"a": 1} {words} {}');
  });

  it('keeps small, distinct, embedded lists', () => {
    expect(new Set(WORDS).size).toBe(WORDS.length);
    expect(WORDS.length).toBeGreaterThanOrEqual(90);
    expect(new Set(HANZI).size).toBe([...HANZI].length);
    expect([...HANZI].length).toBeGreaterThanOrEqual(90);
  });
});
