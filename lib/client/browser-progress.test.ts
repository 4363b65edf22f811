import { describe, expect, it } from 'vitest';
import {
  browserLessonStates,
  importBody,
  loadLastVisit,
  saveLastVisit,
  type ListableStore,
} from './browser-progress.ts';
import { progressKey } from './lesson-progress.ts';

function store(entries: Record<string, string> = {}): ListableStore & { map: Map<string, string> } {
  const map = new Map(Object.entries(entries));
  return {
    map,
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe('browser progress', () => {
  const passed = JSON.stringify({ hints: {}, predictions: {}, failedRuns: 1, passed: true });
  const failed = JSON.stringify({ hints: {}, predictions: {}, failedRuns: 2, passed: false });

  it('calls a lesson done after a pass, started after a failure, a hint or an edit', () => {
    const s = store({
      [progressKey('a')]: passed,
      [progressKey('b')]: failed,
      [progressKey('c')]: JSON.stringify({ hints: { h: 1 }, predictions: {}, failedRuns: 0 }),
      'handshake:v1:files:d:client.py': 'print(1)',
      [progressKey('e')]: 'not json',
    });
    expect(browserLessonStates(s, ['a', 'b', 'c', 'd', 'e'])).toEqual({
      a: 'done',
      b: 'started',
      c: 'started',
      d: 'started',
    });
  });

  it('builds the import from lessons with progress, with their saved files only', () => {
    const s = store({
      [progressKey('a')]: passed,
      'handshake:v1:files:a:client.py': 'print("a")',
      'handshake:v1:files:a:../evil': 'x',
      'handshake:v1:files:zz:client.py': 'not a known lesson',
    });
    expect(importBody(s, ['a', 'b'])).toEqual({
      lessons: [{ lessonId: 'a', files: [{ name: 'client.py', content: 'print("a")' }] }],
    });
  });

  it('remembers the last lesson and file, and ignores garbage', () => {
    const s = store();
    expect(loadLastVisit(s)).toBeNull();
    saveLastVisit(s, { lessonId: 'a', file: 'server.py', at: '2026-01-01T00:00:00.000Z' });
    expect(loadLastVisit(s)).toEqual({
      lessonId: 'a',
      file: 'server.py',
      at: '2026-01-01T00:00:00.000Z',
    });
    s.map.set('handshake:v1:last-visit', '{"lessonId": 3}');
    expect(loadLastVisit(s)).toBeNull();
  });
});
