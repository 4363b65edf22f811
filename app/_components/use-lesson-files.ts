'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { clearFiles, restoreFiles, saveFile } from '../../lib/client/autosave.ts';
import { loadLastVisit, saveLastVisit } from '../../lib/client/browser-progress.ts';
import type { SourceFile } from '../../lib/protocol.ts';

export interface LessonFiles {
  names: string[];
  active: string;
  setActive: (name: string) => void;
  /** Contents to load into the editor; changes only on restore and reset, not per keystroke. */
  loaded: { files: SourceFile[]; revision: number };
  /** Names of files that differ from the starter. */
  modified: ReadonlySet<string>;
  /** Records an edit (and autosaves it). */
  change: (name: string, content: string) => void;
  /** Puts every file back to the starter and forgets the saved copies. */
  reset: () => void;
  /** The current contents of every file, for a run. */
  snapshot: () => SourceFile[];
}

/** The learner's files of one lesson: starter code, edits, autosave to localStorage. */
export function useLessonFiles(lessonId: string, starter: SourceFile[]): LessonFiles {
  const starterRef = useRef(starter);
  const contents = useRef(new Map(starter.map((f) => [f.name, f.content])));
  const [loaded, setLoaded] = useState({ files: starter, revision: 0 });
  const [active, setActive] = useState(starter[0]?.name ?? '');
  const [modified, setModified] = useState<ReadonlySet<string>>(new Set());

  const load = useCallback((files: SourceFile[]) => {
    contents.current = new Map(files.map((f) => [f.name, f.content]));
    setLoaded((previous) => ({ files, revision: previous.revision + 1 }));
    setModified(
      new Set(
        files.filter((f, i) => f.content !== starterRef.current[i]?.content).map((f) => f.name),
      ),
    );
  }, []);

  // Restore after hydration: the server rendered the starter, localStorage only exists here.
  useEffect(() => {
    load(restoreFiles(localStorage, lessonId, starterRef.current));
    const last = loadLastVisit(localStorage);
    if (last?.lessonId === lessonId && starterRef.current.some((f) => f.name === last.file))
      setActive(last.file);
  }, [lessonId, load]);

  // Where the learner is, for "continue where you left off" on the lesson list.
  useEffect(() => {
    if (active)
      saveLastVisit(localStorage, { lessonId, file: active, at: new Date().toISOString() });
  }, [lessonId, active]);

  const change = useCallback(
    (name: string, content: string) => {
      contents.current.set(name, content);
      saveFile(localStorage, lessonId, { name, content });
      const isModified = content !== starterRef.current.find((f) => f.name === name)?.content;
      setModified((previous) => {
        if (previous.has(name) === isModified) return previous;
        const next = new Set(previous);
        if (isModified) next.add(name);
        else next.delete(name);
        return next;
      });
    },
    [lessonId],
  );

  const reset = useCallback(() => {
    clearFiles(
      localStorage,
      lessonId,
      starterRef.current.map((f) => f.name),
    );
    load(starterRef.current);
  }, [lessonId, load]);

  const snapshot = useCallback(
    () =>
      starterRef.current.map((f) => ({
        name: f.name,
        content: contents.current.get(f.name) ?? '',
      })),
    [],
  );

  return {
    names: starter.map((f) => f.name),
    active,
    setActive,
    loaded,
    modified,
    change,
    reset,
    snapshot,
  };
}
