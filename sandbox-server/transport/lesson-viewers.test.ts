import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoadedLesson } from '../judge/judge.ts';
import { LessonViewers, type LessonDemand } from './lesson-viewers.ts';

const lesson = (slug: string, processes: LoadedLesson['processes']): LoadedLesson => ({
  slug,
  id: slug,
  processes,
  limits: {},
  checks: [],
});
const echo = lesson('tcp-client', [
  { peer: 'tcp-echo', port: 8080, options: { waitForEnd: false } },
  { file: 'c.py' },
]);
const greeter = lesson('greeting', [{ file: 'client.py' }]);
const shows = (slug: string, lesson: LoadedLesson) => ({ slug, lesson });

describe('LessonViewers', () => {
  let published: LessonDemand[][];
  let viewers: LessonViewers;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    published = [];
    viewers = new LessonViewers((demand) => published.push(demand));
  });
  afterEach(() => {
    viewers.close();
    vi.useRealTimers();
  });

  it('sends a class connecting at once as one update, with a count per lesson', () => {
    const [a, b, c] = [{}, {}, {}];
    viewers.show(a, shows('tcp-client', echo));
    vi.advanceTimersByTime(100);
    viewers.show(b, shows('tcp-client', echo));
    viewers.show(c, shows('greeting', greeter));
    vi.advanceTimersByTime(149);
    expect(published).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(published).toEqual([
      [
        { lesson: echo, count: 2 },
        { lesson: greeter, count: 1 },
      ],
    ]);
  });

  it('sends a later change as its own update, and nothing when nothing changed', () => {
    const [a, b] = [{}, {}];
    viewers.show(a, shows('tcp-client', echo));
    viewers.show(b, shows('tcp-client', echo));
    vi.advanceTimersByTime(250);
    viewers.show(a, shows('tcp-client', echo)); // the same lesson again
    vi.advanceTimersByTime(1000);
    expect(published).toHaveLength(1);
    viewers.show(a, null);
    viewers.show(b, shows('greeting', greeter));
    vi.advanceTimersByTime(250);
    expect(published.at(-1)).toEqual([{ lesson: greeter, count: 1 }]);
    viewers.show(b, null);
    vi.advanceTimersByTime(250);
    expect(published).toHaveLength(3);
    expect(published.at(-1)).toEqual([]);
  });

  it('publishes nothing once closed', () => {
    viewers.show({}, shows('tcp-client', echo));
    viewers.close();
    vi.advanceTimersByTime(1000);
    expect(published).toEqual([]);
  });
});
