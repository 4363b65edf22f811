import { describe, expect, it } from 'vitest';
import { deriveSecrets } from '../secrets.ts';
import { handleRecordRun, handleTokenUse } from './internal-routes.ts';
import { MemoryRecorder } from './memory-recorder.ts';
import { sampleRun } from './test-support.ts';
import { INTERNAL_SECRET_HEADER, MAX_RECORDED_RUN_BODY_BYTES } from './schema.ts';

const { internalSecret: secret } = deriveSecrets('m'.repeat(40));

function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = { [INTERNAL_SECRET_HEADER]: secret },
): Request {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Request(`http://127.0.0.1:3000${path}`, { method: 'POST', headers, body: text });
}

const setup = () => {
  const recorder = new MemoryRecorder();
  const faults: string[] = [];
  const deps = { secret, recorder, logFault: (what: string) => faults.push(what) };
  return { recorder, deps, faults };
};

describe('POST /api/internal/runs', () => {
  it('records a valid run once; a retried post of it is a duplicate', async () => {
    const { recorder, deps } = setup();
    const first = await handleRecordRun(post('/api/internal/runs', sampleRun()), deps);
    expect([first.status, await first.json()]).toEqual([200, { result: 'recorded' }]);
    const again = await handleRecordRun(post('/api/internal/runs', sampleRun()), deps);
    expect(await again.json()).toEqual({ result: 'duplicate' });
    expect([...recorder.runs.values()]).toEqual([sampleRun()]);
  });

  it('refuses a missing, wrong or differently sized secret, and a learner cookie alone', async () => {
    const { recorder, deps } = setup();
    const attempts: Array<Record<string, string>> = [
      {},
      { [INTERNAL_SECRET_HEADER]: 'wrong' },
      { [INTERNAL_SECRET_HEADER]: secret.slice(0, -1) },
      { [INTERNAL_SECRET_HEADER]: `${secret}x` },
      { cookie: 'handshake_learner=abc; better-auth.session_token=xyz' },
      { authorization: `Bearer ${secret}` },
    ];
    for (const headers of attempts) {
      const response = await handleRecordRun(
        post('/api/internal/runs', sampleRun(), headers),
        deps,
      );
      expect(response.status).toBe(401);
    }
    expect(recorder.runs.size).toBe(0);
  });

  it('refuses other methods', async () => {
    const { deps } = setup();
    const request = new Request('http://127.0.0.1:3000/api/internal/runs', {
      headers: { [INTERNAL_SECRET_HEADER]: secret },
    });
    expect((await handleRecordRun(request, deps)).status).toBe(405);
  });

  it('refuses an oversized body, declared or streamed, without reading it all', async () => {
    const { recorder, deps } = setup();
    const big = 'x'.repeat(MAX_RECORDED_RUN_BODY_BYTES + 1);
    expect((await handleRecordRun(post('/api/internal/runs', big), deps)).status).toBe(413);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const streamed = new Request('http://127.0.0.1:3000/api/internal/runs', {
      method: 'POST',
      headers: { [INTERNAL_SECRET_HEADER]: secret },
      body: endless,
      duplex: 'half',
    } as RequestInit);
    expect((await handleRecordRun(streamed, deps)).status).toBe(413);
    expect(pulled).toBeLessThan(MAX_RECORDED_RUN_BODY_BYTES / (64 * 1024) + 4);
    expect(recorder.runs.size).toBe(0);
  });

  it('refuses a body that is not JSON or not a run, naming the field', async () => {
    const { deps } = setup();
    expect((await handleRecordRun(post('/api/internal/runs', '{nope'), deps)).status).toBe(400);
    const cases: Array<[unknown, string]> = [
      [{ ...sampleRun(), outcome: 'great' }, 'outcome'],
      [{ ...sampleRun(), lessonId: '../etc' }, 'lessonId'],
      [{ ...sampleRun(), id: 'short' }, 'id'],
      [{ ...sampleRun(), output: { 'client.py': 'x'.repeat(16 * 1024 + 1) } }, 'output'],
      [{ ...sampleRun(), code: [{ name: '../x.py', content: '' }] }, 'code'],
    ];
    for (const [body, field] of cases) {
      const response = await handleRecordRun(post('/api/internal/runs', body), deps);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain(field);
    }
  });

  it('answers 503 (so the front retries) when the data layer fails, and logs no body', async () => {
    const { recorder, deps, faults } = setup();
    recorder.failure = new Error('database is locked');
    const response = await handleRecordRun(post('/api/internal/runs', sampleRun()), deps);
    expect(response.status).toBe(503);
    expect(faults).toEqual([`recording run ${sampleRun().id}`]);
  });
});

describe('POST /api/internal/token-uses', () => {
  const use = { jti: 'jti_1', expiresAt: '2026-12-01T10:01:00.000Z' };

  it('says fresh once per token id', async () => {
    const { deps } = setup();
    const first = await handleTokenUse(post('/api/internal/token-uses', use), deps);
    expect(await first.json()).toEqual({ fresh: true });
    const again = await handleTokenUse(post('/api/internal/token-uses', use), deps);
    expect(await again.json()).toEqual({ fresh: false });
  });

  it('refuses without the secret, with a bad body, and 503s when the data layer fails', async () => {
    const { deps, recorder } = setup();
    const noSecret = post('/api/internal/token-uses', use, { cookie: 'handshake_learner=abc' });
    expect((await handleTokenUse(noSecret, deps)).status).toBe(401);
    const bad = post('/api/internal/token-uses', { jti: 'a b', expiresAt: 'soon' });
    expect((await handleTokenUse(bad, deps)).status).toBe(400);
    const big = post('/api/internal/token-uses', { ...use, pad: 'x'.repeat(2000) });
    expect((await handleTokenUse(big, deps)).status).toBe(413);
    recorder.failure = new Error('unreachable');
    expect((await handleTokenUse(post('/api/internal/token-uses', use), deps)).status).toBe(503);
    expect(recorder.usedTokens.size).toBe(0);
  });
});
