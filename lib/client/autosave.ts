/**
 * Autosave of the learner's files in the browser, one localStorage entry per lesson (by its stable id) and file, so
 * reopening a lesson restores the code and Reset brings back the starter.
 */
import type { SourceFile } from '../protocol.ts';

/** The part of the Storage API autosave needs (localStorage in the browser, a Map in tests). */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The storage key of one file of one lesson. */
export function storageKey(lessonId: string, file: string): string {
  return `handshake:v1:files:${lessonId}:${file}`;
}

/** The lesson's files as last saved, falling back to the starter for files never edited. */
export function restoreFiles(
  store: KeyValueStore,
  lessonId: string,
  starter: SourceFile[],
): SourceFile[] {
  return starter.map((file) => ({
    name: file.name,
    content: safely(() => store.getItem(storageKey(lessonId, file.name))) ?? file.content,
  }));
}

/** Saves one file; a full or unavailable storage is ignored (the editor still holds the code). */
export function saveFile(store: KeyValueStore, lessonId: string, file: SourceFile): void {
  safely(() => store.setItem(storageKey(lessonId, file.name), file.content));
}

/** Forgets the saved copies of these files, so the next restore gives the starter. */
export function clearFiles(store: KeyValueStore, lessonId: string, names: string[]): void {
  for (const name of names) safely(() => store.removeItem(storageKey(lessonId, name)));
}

/** Storage throws in private modes and when full; autosave is best effort, so it must not. */
function safely<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}
