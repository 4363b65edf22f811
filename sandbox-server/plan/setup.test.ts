import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, LIMIT_BOUNDS } from '../limits.ts';
import { effectiveLimits } from './setup.ts';

const run = (limits: Record<string, number>) =>
  effectiveLimits({
    runId: 'r',
    files: [{ name: 'a.py', content: '' }],
    lesson: { processes: [{ file: 'a.py' }], limits },
    lang: 'en',
    limits: { ...DEFAULT_LIMITS },
  });

describe('effectiveLimits', () => {
  it("applies a lesson's requests for time, tasks and open files, within the server's bounds", () => {
    expect(run({ wallSeconds: 20, pids: 128, openFiles: 512 })).toMatchObject({
      wallSeconds: 20,
      pids: 128,
      openFiles: 512,
    });
    expect(run({ pids: 100_000, openFiles: 1 })).toMatchObject({
      pids: LIMIT_BOUNDS.max.pids,
      openFiles: LIMIT_BOUNDS.min.openFiles,
    });
    expect(run({})).toEqual(DEFAULT_LIMITS);
  });
});
