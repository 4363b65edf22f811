import { describe, expect, it } from 'vitest';
import {
  applyDelta,
  cellStuck,
  DEFAULT_THRESHOLDS,
  learnerIdle,
  learnerStuck,
  type DashboardLearner,
  type DashboardSnapshot,
} from './dashboard-state.ts';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function learner(over: Partial<DashboardLearner> = {}): DashboardLearner {
  return {
    id: 'kim',
    nickname: 'Kim',
    joinedAt: at(0),
    lastRunAt: null,
    lastPassAt: null,
    firstRunAt: null,
    cells: [null, null],
    ...over,
  };
}

const cell = (failedSincePass: number, status: 'started' | 'passed' = 'started') => ({
  status,
  attempts: failedSincePass + 1,
  failedSincePass,
  lastRunAt: at(5),
  firstPassedAt: status === 'passed' ? at(1) : null,
});

describe('dashboard state', () => {
  it('applies a delta to its cell, and adds a learner it did not know in nickname order', () => {
    const state: DashboardSnapshot = {
      lessonIds: ['a', 'b'],
      learners: [learner({ id: 'zoe', nickname: 'Zoe' })],
      thresholds: DEFAULT_THRESHOLDS,
    };
    const { cells: _cells, ...row } = learner({ lastRunAt: at(5) });
    const next = applyDelta(state, { learner: row, lessonId: 'b', cell: cell(1) });
    expect(next.learners.map((l) => l.nickname)).toEqual(['Kim', 'Zoe']);
    expect(next.learners[0]!.cells).toEqual([null, cell(1)]);
    expect(applyDelta(state, { learner: row, lessonId: 'gone', cell: cell(1) })).toBe(state);
    expect(state.learners).toHaveLength(1); // not mutated
  });

  it('calls a learner idle after idleMinutes without a run, counted from joining when they never ran', () => {
    expect(learnerIdle(learner(), T0 + 9 * 60_000, DEFAULT_THRESHOLDS)).toBe(false);
    expect(learnerIdle(learner(), T0 + 10 * 60_000, DEFAULT_THRESHOLDS)).toBe(true);
    expect(learnerIdle(learner({ lastRunAt: at(30) }), T0 + 35 * 60_000, DEFAULT_THRESHOLDS)).toBe(
      false,
    );
  });

  it('calls a learner stuck after several failures since a pass, or long running without a pass', () => {
    const now = T0 + 6 * 60_000;
    expect(cellStuck(cell(3), DEFAULT_THRESHOLDS)).toBe(true);
    expect(cellStuck(cell(2), DEFAULT_THRESHOLDS)).toBe(false);
    const failing = learner({ lastRunAt: at(5), firstRunAt: at(1), cells: [cell(3), null] });
    expect(learnerStuck(failing, now, DEFAULT_THRESHOLDS)).toBe(true);
    const trying = learner({ lastRunAt: at(5), firstRunAt: at(1), cells: [cell(2), null] });
    expect(learnerStuck(trying, now, DEFAULT_THRESHOLDS)).toBe(false);
    const long = learner({
      lastRunAt: at(30),
      firstRunAt: at(1),
      lastPassAt: at(5),
      cells: [cell(1), null],
    });
    expect(learnerStuck(long, T0 + 31 * 60_000, DEFAULT_THRESHOLDS)).toBe(true);
    // Gone quiet: idle, not stuck.
    expect(learnerStuck(failing, T0 + 60 * 60_000, DEFAULT_THRESHOLDS)).toBe(false);
  });
});
