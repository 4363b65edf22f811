/**
 * What the browser knows of an anonymous learner's progress, read back for the lesson list
 * (done / started), "continue where you left off" (the last lesson and file), and the one-time
 * import into a class. Pure functions over a Storage-like object, so tests use a Map.
 */
import { loadProgress } from './lesson-progress.ts';

/** The parts of Storage these functions need (localStorage in the browser). */
export interface ListableStore {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A lesson's state as the lesson list shows it. */
export type LessonState = 'done' | 'started';

const FILES_PREFIX = 'handshake:v1:files:';
/** Where the last lesson and file the learner had open are kept. */
export const LAST_VISIT_KEY = 'handshake:v1:last-visit';

/** The last lesson and file open in this browser. */
export interface LastVisit {
  lessonId: string;
  file: string;
  at: string;
}

function keys(store: ListableStore): string[] {
  const found: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (key !== null) found.push(key);
  }
  return found;
}

/** Saved files of one lesson, by file name (keys are `…files:<lessonId>:<file>`). */
export function savedFiles(
  store: ListableStore,
  lessonId: string,
): Array<{ name: string; content: string }> {
  const prefix = `${FILES_PREFIX}${lessonId}:`;
  return keys(store)
    .filter((key) => key.startsWith(prefix))
    .map((key) => ({ name: key.slice(prefix.length), content: store.getItem(key) ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Done when a run passed here; started when a run failed, a file was edited, or a hint or
 * prediction was opened; lessons with nothing are left out.
 */
export function browserLessonStates(
  store: ListableStore,
  lessonIds: readonly string[],
): Record<string, LessonState> {
  const states: Record<string, LessonState> = {};
  for (const id of lessonIds) {
    const progress = loadProgress(store, id);
    if (progress.passed) states[id] = 'done';
    else if (
      progress.failedRuns > 0 ||
      Object.keys(progress.hints).length > 0 ||
      Object.keys(progress.predictions).length > 0 ||
      savedFiles(store, id).length > 0
    )
      states[id] = 'started';
  }
  return states;
}

/** Remembers the lesson and file open now; storage errors are ignored (a convenience). */
export function saveLastVisit(store: Pick<ListableStore, 'setItem'>, visit: LastVisit): void {
  try {
    store.setItem(LAST_VISIT_KEY, JSON.stringify(visit));
  } catch {
    // private mode or full storage
  }
}

/** The last lesson and file open here, or null. */
export function loadLastVisit(store: Pick<ListableStore, 'getItem'>): LastVisit | null {
  try {
    const value = JSON.parse(store.getItem(LAST_VISIT_KEY) ?? 'null') as Partial<LastVisit> | null;
    if (typeof value?.lessonId !== 'string' || typeof value.file !== 'string') return null;
    return { lessonId: value.lessonId, file: value.file, at: String(value.at ?? '') };
  } catch {
    return null;
  }
}

/** Files larger than this are left out of an import (the server bounds them too). */
const MAX_IMPORT_FILE_CHARS = 64 * 1024;

/** The body of POST /api/progress/import: every lesson with browser progress, and its files. */
export function importBody(
  store: ListableStore,
  lessonIds: readonly string[],
): { lessons: Array<{ lessonId: string; files: Array<{ name: string; content: string }> }> } {
  const states = browserLessonStates(store, lessonIds);
  return {
    lessons: Object.keys(states).map((lessonId) => ({
      lessonId,
      files: savedFiles(store, lessonId)
        .filter(
          (file) =>
            /^[\w.-]{1,64}$/.test(file.name) && file.content.length <= MAX_IMPORT_FILE_CHARS,
        )
        .slice(0, 20),
    })),
  };
}

/** Where this browser remembers that a learner's progress was brought into their class. */
export function importedKey(learnerId: string): string {
  return `handshake:v1:imported:${learnerId}`;
}
