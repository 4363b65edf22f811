import { describe, expect, it } from 'vitest';
import { fetchRunToken, RUN_TOKEN_PATH } from './run-token.ts';

const answering = (status: number, body: unknown) =>
  (async (url: string | URL | Request, init?: RequestInit) => {
    expect([String(url), init?.method, init?.credentials]).toEqual([
      RUN_TOKEN_PATH,
      'POST',
      'same-origin',
    ]);
    return new Response(JSON.stringify(body), { status });
  }) as typeof fetch;

describe('fetchRunToken', () => {
  it('gives the token of a joined learner', async () => {
    expect(await fetchRunToken(answering(200, { token: 'abc', expiresAt: 'x' }))).toBe('abc');
  });

  it('gives null for anonymous, failures and odd answers', async () => {
    expect(await fetchRunToken(answering(200, { token: null }))).toBeNull();
    expect(await fetchRunToken(answering(503, { token: null }))).toBeNull();
    expect(await fetchRunToken(answering(200, { token: 42 }))).toBeNull();
    expect(await fetchRunToken(answering(200, null))).toBeNull();
    const offline = (async () => {
      throw new TypeError('failed to fetch');
    }) as typeof fetch;
    expect(await fetchRunToken(offline)).toBeNull();
  });
});
