/**
 * Which lesson each browser connection shows (the `viewing` message), summed per lesson and
 * passed on, debounced, as the demand for sandboxes made ahead: a class that opens a lesson
 * has its sandboxes ready by the time it presses Run.
 */
import type { LoadedLesson } from '../judge/judge.ts';

/** A lesson and how many connections show it. */
export interface LessonDemand {
  lesson: LoadedLesson;
  count: number;
}

/** Changes within this window are sent once: a class connecting at once is one update. */
const DEBOUNCE_MS = 250;

export class LessonViewers {
  private readonly shown = new Map<object, { slug: string; lesson: LoadedLesson }>();
  private readonly publish: (demand: LessonDemand[]) => void;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(publish: (demand: LessonDemand[]) => void) {
    this.publish = publish;
  }

  /** `viewer` now shows this lesson (null: none). */
  show(viewer: object, shown: { slug: string; lesson: LoadedLesson } | null): void {
    const before = this.shown.get(viewer)?.slug ?? null;
    if (shown) this.shown.set(viewer, shown);
    else this.shown.delete(viewer);
    if ((shown?.slug ?? null) !== before) this.schedule();
  }

  /** The demand now, one entry per lesson shown. */
  demand(): LessonDemand[] {
    const bySlug = new Map<string, LessonDemand>();
    for (const { slug, lesson } of this.shown.values()) {
      const entry = bySlug.get(slug);
      if (entry) entry.count += 1;
      else bySlug.set(slug, { lesson, count: 1 });
    }
    return [...bySlug.values()];
  }

  /** Stops publishing (the server is closing). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.publish(this.demand());
    }, DEBOUNCE_MS);
    this.timer.unref();
  }
}
