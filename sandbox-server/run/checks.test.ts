import { describe, expect, it } from 'vitest';
import type { CheckDefinition, RunRecord } from '../../lib/lessons/define.ts';
import { runChecks } from './checks.ts';

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
    expect(results[0]!.message).toMatch(/boom/);
  });

  it('reports a check that takes too long as an error', async () => {
    const slow: CheckDefinition = { id: 'slow', title, run: () => new Promise(() => {}) };
    const [result] = await runChecks([slow], record, 'en', 20);
    expect(result).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/did not finish/),
    });
  });
});
