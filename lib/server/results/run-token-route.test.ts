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
