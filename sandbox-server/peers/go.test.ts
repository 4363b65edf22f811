import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseGo, readGo } from './go.ts';

describe('the go line', () => {
  it('carries the seed and the run language', async () => {
    const stdin = new PassThrough();
    const go = readGo(stdin);
    stdin.end('{"seed":4294967295,"lang":"zh"}\n');
    await expect(go).resolves.toEqual({ seed: 4294967295, lang: 'zh' });
  });

  it('falls back to a random 32-bit seed without a valid line (a peer started by hand)', () => {
    for (const text of ['', 'go', '{"seed":-1}', '{"seed":1.5}', '{"seed":4294967296}']) {
      const { seed } = parseGo(text);
      expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff, text).toBe(true);
    }
    expect(parseGo('{"seed":0}')).toEqual({ seed: 0, lang: 'en' });
    expect(parseGo('{"seed":0,"lang":"fr"}')).toEqual({ seed: 0, lang: 'en' });
    expect(parseGo('null').lang).toBe('en');
  });

  it('begins on an empty stdin too', async () => {
    const stdin = new PassThrough();
    const go = readGo(stdin);
    stdin.end();
    expect((await go).seed).toBeGreaterThanOrEqual(0);
  });
});
