import { describe, expect, it } from 'vitest';
import { verifyRunToken } from '../run-token.ts';
import { deriveSecrets } from '../secrets.ts';
import { handleRunToken, type TokenLearner } from './run-token-route.ts';

const key = deriveSecrets('m'.repeat(40)).runTokenKey;
const request = (method = 'POST') =>
  new Request('http://localhost:3000/api/run-token', { method, headers: { cookie: 'x=y' } });
const depsFor = (learner: TokenLearner | null | Error) => ({
  learnerFromRequest: async () => {
    if (learner instanceof Error) throw learner;
    return learner;
  },
  key: () => key,
});

describe('POST /api/run-token', () => {
  it('gives a joined learner a token for the sandbox naming them and their class', async () => {
    const response = await handleRunToken(request(), depsFor({ id: 'l1', classId: 'c1' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { token: string; expiresAt: string };
    const check = await verifyRunToken(key, body.token);
    expect(check).toMatchObject({ ok: true, claims: { learnerId: 'l1', classId: 'c1' } });
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it('gives anonymous visitors and learners of archived classes no token (200)', async () => {
    for (const learner of [null, { id: 'l1', classId: 'c1', archived: true }]) {
      const response = await handleRunToken(request(), depsFor(learner));
      expect([response.status, await response.json()]).toEqual([200, { token: null }]);
    }
  });

  it('answers 503 with no token when the session cannot be read, and refuses GET', async () => {
    const failing = await handleRunToken(request(), depsFor(new Error('database down')));
    expect([failing.status, await failing.json()]).toEqual([503, { token: null }]);
    expect((await handleRunToken(request('GET'), depsFor(null))).status).toBe(405);
  });
});

describe('POST /api/run-token with several sandbox servers', () => {
  const asking = (body: string) =>
    new Request('http://localhost:3000/api/run-token', { method: 'POST', body });

  it('says where to connect, passing on the page’s previous server', async () => {
    const asked: Array<string | null> = [];
    const deps = {
      ...depsFor({ id: 'l1', classId: 'c1' }),
      place: async (previous: string | null) => {
        asked.push(previous);
        return 'wss://sb2.example/ws';
      },
    };
    const response = await handleRunToken(asking('{"previous":"wss://sb1.example/ws"}'), deps);
    const body = (await response.json()) as { token: string; sandbox: string };
    expect(body.sandbox).toBe('wss://sb2.example/ws');
    expect((await verifyRunToken(key, body.token)).ok).toBe(true);
    await handleRunToken(asking('not json'), deps);
    await handleRunToken(asking(JSON.stringify({ previous: 'x'.repeat(3000) })), deps);
    expect(asked).toEqual(['wss://sb1.example/ws', null, null]);
  });

  it('passes on that the page’s run waits in its server’s queue, only with a previous server', async () => {
    const asked: Array<[string | null, boolean]> = [];
    const deps = {
      ...depsFor(null),
      place: async (previous: string | null, waiting: boolean) => {
        asked.push([previous, waiting]);
        return null;
      },
    };
    await handleRunToken(asking('{"previous":"wss://sb1.example/ws","waiting":true}'), deps);
    await handleRunToken(asking('{"previous":"wss://sb1.example/ws","waiting":"yes"}'), deps);
    await handleRunToken(asking('{"waiting":true}'), deps);
    expect(asked).toEqual([
      ['wss://sb1.example/ws', true],
      ['wss://sb1.example/ws', false],
      [null, false],
    ]);
  });

  it('still places an anonymous page, and a page whose session cannot be read', async () => {
    const place = async () => 'wss://sb1.example/ws';
    const anonymous = await handleRunToken(asking('{}'), { ...depsFor(null), place });
    expect(await anonymous.json()).toEqual({ token: null, sandbox: 'wss://sb1.example/ws' });
    const failing = await handleRunToken(asking('{}'), {
      ...depsFor(new Error('database down')),
      place,
    });
    expect([failing.status, await failing.json()]).toEqual([
      503,
      { token: null, sandbox: 'wss://sb1.example/ws' },
    ]);
  });

  it('answers sandbox null when placing fails, and logs why', async () => {
    const faults: string[] = [];
    const response = await handleRunToken(asking('{}'), {
      ...depsFor(null),
      place: async () => {
        throw new Error('boom');
      },
      logFault: (what) => faults.push(what),
    });
    expect(await response.json()).toEqual({ token: null, sandbox: null });
    expect(faults).toEqual(['placing a page on a sandbox server']);
  });
});
