import { describe, expect, it } from 'vitest';
import type { RecordedRun } from '../../lib/server/results/schema.ts';
import type { PostAnswer } from './app-client.ts';
import { ResultPoster } from './result-poster.ts';

const run = (id: string, content = 'print(1)'): RecordedRun => ({
  id: id.padEnd(22, '_'),
  learnerId: 'l',
  classId: 'c',
  lessonId: 'tcp-client',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:01.000Z',
  durationMs: 1000,
  outcome: 'failed',
  checks: [],
  code: [{ name: 'client.py', content }],
  output: {},
});

function poster(answers: (id: string, attempt: number) => PostAnswer, options = {}) {
  const attempts = new Map<string, number>();
  const lines: string[] = [];
  const app = {
    postRun: async (r: RecordedRun) => {
      const attempt = (attempts.get(r.id) ?? 0) + 1;
      attempts.set(r.id, attempt);
      return answers(r.id, attempt);
    },
  };
  const log = { info: (line: string) => lines.push(line), fault: () => {} };
  const options_ = { baseDelayMs: 5, maxDelayMs: 10, maxAttempts: 4, ...options };
  return { poster: new ResultPoster(app, log, options_, () => 0.5), attempts, lines };
}

describe('ResultPoster', () => {
  it('counts a duplicate as saved and never tells the learner', async () => {
    const { poster: p, attempts } = poster(() => ({ kind: 'duplicate' }));
    let gaveUp = 0;
    p.submit(run('a'), () => (gaveUp += 1));
    await p.whenIdle();
    expect([gaveUp, attempts.get(run('a').id)]).toEqual([0, 1]);
  });

  it('retries up to maxAttempts with growing delays, then gives up once', async () => {
    const { poster: p, attempts } = poster(() => ({ kind: 'retry', why: 'ECONNREFUSED' }));
    const gaveUp: string[] = [];
    const started = performance.now();
    p.submit(run('b'), () => gaveUp.push('b'));
    await p.whenIdle();
    expect(attempts.get(run('b').id)).toBe(4);
    expect(gaveUp).toEqual(['b']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(5 + 10 + 10 - 3);
  });

  it('saves a run that succeeds on a later attempt', async () => {
    const { poster: p } = poster((_, attempt) =>
      attempt < 3 ? { kind: 'retry', why: '503' } : { kind: 'recorded' },
    );
    let gaveUp = false;
    p.submit(run('c'), () => (gaveUp = true));
    await p.whenIdle();
    expect(gaveUp).toBe(false);
    expect(p.pending).toBe(0);
  });

  it('gives up at once, without posting, a run beyond the bounded queue (runs or bytes)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const app = {
      postRun: async (): Promise<PostAnswer> => {
        await gate;
        return { kind: 'recorded' };
      },
    };
    const log = { info: () => {}, fault: () => {} };
    const p = new ResultPoster(app, log, { maxQueued: 2, maxQueuedBytes: 4096, concurrency: 1 });
    const gaveUp: string[] = [];
    p.submit(run('d1'), () => gaveUp.push('d1'));
    p.submit(run('d2'), () => gaveUp.push('d2'));
    p.submit(run('d3'), () => gaveUp.push('d3'));
    expect(gaveUp).toEqual(['d3']);
    const q = new ResultPoster(app, log, { maxQueued: 10, maxQueuedBytes: 4096 });
    q.submit(run('e', 'x'.repeat(5000)), () => gaveUp.push('e'));
    expect(gaveUp).toEqual(['d3', 'e']);
    release();
    await p.whenIdle();
    expect(gaveUp).toEqual(['d3', 'e']);
  });

  it('on close, gives up what still waits to be retried', async () => {
    const { poster: p } = poster(() => ({ kind: 'retry', why: 'down' }), {
      baseDelayMs: 10_000,
      maxDelayMs: 10_000,
    });
    const gaveUp: string[] = [];
    p.submit(run('f'), () => gaveUp.push('f'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    p.close();
    expect(gaveUp).toEqual(['f']);
  });
});
