import { describe, expect, it } from 'vitest';
import { fetchConnectionTicket, RUN_TOKEN_PATH } from './run-token.ts';

const answering = (status: number, body: unknown, sent: unknown[] = []) =>
  (async (url: string | URL | Request, init?: RequestInit) => {
    expect([String(url), init?.method, init?.credentials]).toEqual([
      RUN_TOKEN_PATH,
      'POST',
      'same-origin',
    ]);
    sent.push(JSON.parse(String(init?.body)));
    return new Response(JSON.stringify(body), { status });
  }) as typeof fetch;

const ticket = (previous: string | null, fetchImpl: typeof fetch) =>
  fetchConnectionTicket({ previous }, fetchImpl);

describe('fetchConnectionTicket', () => {
  it('gives the token of a joined learner and the server the app placed the page on', async () => {
    const sent: unknown[] = [];
    const body = { token: 'abc', expiresAt: 'x', sandbox: 'wss://sb2.example/ws' };
    expect(await ticket('wss://sb1.example/ws', answering(200, body, sent))).toEqual({
      token: 'abc',
      sandbox: 'wss://sb2.example/ws',
    });
    expect(sent).toEqual([{ previous: 'wss://sb1.example/ws' }]);
    await fetchConnectionTicket(
      { previous: 'wss://sb2.example/ws', waiting: true },
      answering(200, body, sent),
    );
    expect(sent.at(-1)).toEqual({ previous: 'wss://sb2.example/ws', waiting: true });
  });

  it('gives null for anonymous, failures and odd answers', async () => {
    const none = { token: null, sandbox: null };
    expect(await ticket(null, answering(200, { token: null }))).toEqual(none);
    expect(await ticket(null, answering(503, { token: 'a', sandbox: 'ws://x/ws' }))).toEqual(none);
    expect(await ticket(null, answering(200, { token: 42, sandbox: 'javascript:x' }))).toEqual(
      none,
    );
    expect(await ticket(null, answering(200, { sandbox: 'https://x/ws' }))).toEqual(none);
    expect(await ticket(null, answering(200, null))).toEqual(none);
    const offline = (async () => {
      throw new TypeError('failed to fetch');
    }) as typeof fetch;
    expect(await ticket(null, offline)).toEqual(none);
  });
});
