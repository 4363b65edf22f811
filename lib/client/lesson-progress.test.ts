import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../protocol.ts';
import {
  choosePrediction,
  compareOffered,
  forgetPrediction,
  loadProgress,
  NO_PROGRESS,
  openPredictions,
  progressKey,
  recordRun,
  revealHint,
  runPassed,
  saveProgress,
  settlePredictions,
} from './lesson-progress.ts';

const check = (status: CheckResult['status']): CheckResult => ({
  id: 'c',
  title: 'A check',
  status,
  message: '',
});

/** A Map-backed store, like localStorage. */
function memoryStore() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, value),
    removeItem: (key: string) => void map.delete(key),
  };
}

describe('hints', () => {
  it('open one level at a time and never past the last', () => {
    let progress = NO_PROGRESS;
    progress = revealHint(progress, 'g', 3);
    expect(progress.hints.g).toBe(1);
    progress = revealHint(revealHint(revealHint(progress, 'g', 3), 'g', 3), 'g', 3);
    expect(progress.hints.g).toBe(3);
    expect(revealHint(progress, 'other', 2).hints).toEqual({ g: 3, other: 1 });
  });
});

describe('predictions', () => {
  it('are settled by the run that started after they were chosen', () => {
    let progress = choosePrediction(NO_PROGRESS, 'recv', 1);
    const made = openPredictions(progress);
    expect(made).toEqual(['recv']);
    progress = choosePrediction(progress, 'later', 0); // chosen during the run
    progress = settlePredictions(progress, made);
    expect(progress.predictions).toEqual({
      recv: { choice: 1, settled: true },
      later: { choice: 0, settled: false },
    });
  });

  it('keep a settled answer until the learner forgets it', () => {
    let progress = settlePredictions(choosePrediction(NO_PROGRESS, 'p', 2), ['p']);
    expect(choosePrediction(progress, 'p', 0)).toBe(progress);
    progress = forgetPrediction(progress, 'p');
    expect(progress.predictions).toEqual({});
    expect(choosePrediction(progress, 'p', 0).predictions.p).toEqual({
      choice: 0,
      settled: false,
    });
  });
});

describe('runs and the comparison with the solution', () => {
  it('a run passes when it has checks and all pass', () => {
    expect(runPassed([check('pass'), check('pass')])).toBe(true);
    expect(runPassed([check('pass'), check('error')])).toBe(false);
    expect(runPassed([])).toBe(false);
  });

  it('is offered after a pass at once', () => {
    const progress = recordRun(NO_PROGRESS, [check('pass')]);
    expect(compareOffered(progress, 3)).toBe(true);
  });

  it('is offered after the given number of failed runs; runs without checks do not count', () => {
    let progress = NO_PROGRESS;
    progress = recordRun(progress, [check('fail')]);
    progress = recordRun(progress, []);
    expect(compareOffered(progress, 2)).toBe(false);
    progress = recordRun(progress, [check('pass'), check('fail')]);
    expect(progress.failedRuns).toBe(2);
    expect(compareOffered(progress, 2)).toBe(true);
    expect(compareOffered(progress, 3)).toBe(false);
  });
});

describe('storage', () => {
  it('round-trips per lesson', () => {
    const store = memoryStore();
    const progress = recordRun(revealHint(NO_PROGRESS, 'g', 3), [check('fail')]);
    saveProgress(store, 'tcp-client', progress);
    expect(store.map.has(progressKey('tcp-client'))).toBe(true);
    expect(loadProgress(store, 'tcp-client')).toEqual(progress);
    expect(loadProgress(store, 'tcp-server')).toEqual(NO_PROGRESS);
  });

  it('treats unreadable or partial data as no progress, and a throwing store as empty', () => {
    const store = memoryStore();
    store.setItem(progressKey('a'), '{not json');
    expect(loadProgress(store, 'a')).toEqual(NO_PROGRESS);
    store.setItem(progressKey('b'), JSON.stringify({ failedRuns: 'x', hints: [] }));
    expect(loadProgress(store, 'b')).toEqual(NO_PROGRESS);
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
      removeItem: () => {},
    };
    expect(loadProgress(broken, 'a')).toEqual(NO_PROGRESS);
    expect(() => saveProgress(broken, 'a', NO_PROGRESS)).not.toThrow();
  });
});
