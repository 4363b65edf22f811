import { describe, expect, it } from 'vitest';
import { PREVIEW_BYTES, safePreview } from './preview.ts';

const preview = (value: string | number[]): string =>
  safePreview(typeof value === 'string' ? new TextEncoder().encode(value) : Uint8Array.from(value));

describe('safePreview', () => {
  it('shows printable ASCII as it is and names the common controls', () => {
    expect(preview('GET / HTTP/1.1\r\n\tx')).toBe('GET / HTTP/1.1\\r\\n\\tx');
  });

  it('escapes every other control byte, DEL and the backslash itself', () => {
    expect(preview([0, 7, 0x1b, 0x5b, 0x32, 0x4a, 0x7f, 0x5c])).toBe('\\x00\\x07\\x1b[2J\\x7f\\\\');
  });

  it('shows well-formed UTF-8 letters and emoji', () => {
    expect(preview('café 你好 🙂')).toBe('café 你好 🙂');
  });

  it('escapes invisible and direction-changing characters', () => {
    expect(preview('a\u202eb\u200bc\u2028d\ufeff')).toBe(
      'a\\u{202e}b\\u{200b}c\\u{2028}d\\u{feff}',
    );
    expect(preview('\u0085')).toBe('\\u{85}');
  });

  it('escapes bytes that are not UTF-8: stray, overlong, surrogate, too large', () => {
    expect(preview([0x80, 0xff, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80])).toBe(
      '\\x80\\xff\\xc0\\xaf\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80',
    );
  });

  it('covers only the first 64 bytes and never splits a character into half a glyph', () => {
    expect(preview('x'.repeat(100))).toBe('x'.repeat(PREVIEW_BYTES));
    const cut = new TextEncoder().encode(`${'x'.repeat(63)}é`);
    expect(safePreview(cut)).toBe(`${'x'.repeat(63)}\\xc3`);
  });

  it('never lets a raw control or invisible character through, whatever the bytes', () => {
    const unsafe = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
    for (let byte = 0; byte < 256; byte++) {
      for (const next of [0x80, 0x9f, 0xbf, 0x41]) {
        expect(safePreview(Uint8Array.from([byte, next, 0x80, 0x80]))).not.toMatch(unsafe);
      }
    }
  });
});
