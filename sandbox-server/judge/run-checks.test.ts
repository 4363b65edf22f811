import { describe, expect, it } from 'vitest';
import type { CheckDefinition, RunRecord } from '../../lib/lessons/define.ts';
import { runChecks } from './run-checks.ts';

const record: RunRecord = {
  reason: 'completed',
  processes: {},
  reports: [{ event: 'received', data: 'hi', process: 'peer:echo' }],
  faults: [],
  seed: 0,
};
const title = { en: 'Echo', zh: '回显' };

describe('runChecks', () => {
  it('passes and fails by the outcome, in the learner language', async () => {
    const checks: CheckDefinition[] = [
      {
        id: 'saw',
        title,
        run: (run, t) => ({ pass: run.reports.length === 1, message: t({ en: 'yes', zh: '是' }) }),
      },
      { id: 'never', title, run: () => ({ pass: false, message: 'no', details: 'expected x' }) },
    ];
    const results = await runChecks(checks, record, 'zh', 1000);
    expect(results).toEqual([
      { id: 'saw', title: '回显', status: 'pass', message: '是' },
      { id: 'never', title: '回显', status: 'fail', message: 'no', details: 'expected x' },
    ]);
  });

  it('reports a throwing, async-rejecting or malformed check as an error', async () => {
    const checks: CheckDefinition[] = [
      {
        id: 'throws',
        title,
        run: () => {
          throw new Error('boom');
        },
      },
      { id: 'rejects', title, run: async () => Promise.reject(new Error('late boom')) },
      { id: 'nonsense', title, run: () => ({ ok: true }) as never },
    ];
    const results = await runChecks(checks, record, 'en', 1000);
    expect(results.map((r) => r.status)).toEqual(['error', 'error', 'error']);
    expect(results[0]).toMatchObject({
      message:
        'This check is broken (a problem with the lesson, not your code); its error is in the details.',
      details: 'boom',
    });
    expect(results[1]!.details).toMatch(/late boom/);
    expect(results[2]!.message).toMatch(/returned something other than \{ pass, message \}/);
  });

  it('words its own part of an error in the learner language', async () => {
    const throws: CheckDefinition = {
      id: 'throws',
      title,
      run: () => {
        throw new Error('boom');
      },
    };
    const [result] = await runChecks([throws], record, 'zh', 1000);
    expect(result).toMatchObject({
      title: '回显',
      status: 'error',
      details: expect.stringMatching(/boom/),
    });
    expect(result!.message).toMatch(/这项检查本身出错了/);
  });

  it('reports a check that takes too long as an error', async () => {
    const slow: CheckDefinition = { id: 'slow', title, run: () => new Promise(() => {}) };
    const [result] = await runChecks([slow], record, 'en', 20);
    expect(result).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/did not finish within 0.02 s/),
    });
  });
});
