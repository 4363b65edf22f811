import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseGo, readGo } from './go.ts';

describe('the go line', () => {
  it('carries the seed', async () => {
    const stdin = new PassThrough();
    const go = readGo(stdin);
    stdin.end('{"seed":4294967295}\n');
    await expect(go).resolves.toEqual({ seed: 4294967295 });
  });

  it('falls back to a random 32-bit seed without a valid line (a peer started by hand)', () => {
    for (const text of ['', 'go', '{"seed":-1}', '{"seed":1.5}', '{"seed":4294967296}']) {
      const { seed } = parseGo(text);
      expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff, text).toBe(true);
    }
    expect(parseGo('{"seed":0}')).toEqual({ seed: 0 });
  });

  it('begins on an empty stdin too', async () => {
    const stdin = new PassThrough();
    const go = readGo(stdin);
    stdin.end();
    expect((await go).seed).toBeGreaterThanOrEqual(0);
  });
});
