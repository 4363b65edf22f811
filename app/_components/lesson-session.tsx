'use client';

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { ReactNode } from 'react';
import {
  loadProgress,
  NO_PROGRESS,
  openPredictions,
  recordRun,
  saveProgress,
  settlePredictions,
} from '../../lib/client/lesson-progress.ts';
import type { LessonProgress } from '../../lib/client/lesson-progress.ts';
import type { RunState } from '../../lib/client/run-state.ts';

/** What the prose (hints, predictions) and the workbench share on one lesson page. */
export interface LessonSession {
  lessonId: string;
  progress: LessonProgress;
  /** Changes the progress and saves it. */
  update: (change: (progress: LessonProgress) => LessonProgress) => void;
  /** Predictions the current run will settle when it finishes (chosen before it started). */
  pending: readonly string[];
  /** The workbench reports each change of its run here. */
  observeRun: (run: RunState) => void;
}

const Session = createContext<LessonSession>({
  lessonId: '',
  progress: NO_PROGRESS,
  update: () => {},
  pending: [],
  observeRun: () => {},
});

/** The lesson page's shared state: progress kept in localStorage and the run's effect on it. */
export function LessonSessionProvider({
  lessonId,
  children,
}: {
  /** The lesson's stable frontmatter id: progress survives a renamed or renumbered folder. */
  lessonId: string;
  children: ReactNode;
}) {
  const [progress, setProgress] = useState(NO_PROGRESS);
  const [pending, setPending] = useState<readonly string[]>([]);
  const current = useRef(progress);
  // The run the predictions were locked for, and the runs already counted (once each).
  const locked = useRef<{ runId: string; ids: string[] } | null>(null);
  const counted = useRef(new Set<string>());

  const update = useCallback(
    (change: (progress: LessonProgress) => LessonProgress) => {
      const next = change(current.current);
      if (next === current.current) return;
      current.current = next;
      setProgress(next);
      saveProgress(localStorage, lessonId, next);
    },
    [lessonId],
  );

  // Restore after hydration: the server rendered no progress, localStorage only exists here.
  useEffect(() => {
    current.current = loadProgress(localStorage, lessonId);
    setProgress(current.current);
  }, [lessonId]);

  const observeRun = useCallback(
    (run: RunState) => {
      if (!run.runId) return;
      if (run.phase !== 'finished') {
        if (locked.current?.runId !== run.runId) {
          locked.current = { runId: run.runId, ids: openPredictions(current.current) };
          setPending(locked.current.ids);
        }
        return;
      }
      if (counted.current.has(run.runId)) return;
      counted.current.add(run.runId);
      const ids = locked.current?.runId === run.runId ? locked.current.ids : [];
      // A run stopped by the learner or lost with the connection judged nothing.
      const judged = run.problem === null && run.finished?.reason !== 'stopped';
      update((p) => (judged ? recordRun(settlePredictions(p, ids), run.checks ?? []) : p));
      locked.current = null;
      setPending([]);
    },
    [update],
  );

  const value = useMemo(
    () => ({ lessonId, progress, update, pending, observeRun }),
    [lessonId, progress, update, pending, observeRun],
  );
  return <Session.Provider value={value}>{children}</Session.Provider>;
}

/** The lesson page's shared state (hints, predictions, runs). */
export function useLessonSession(): LessonSession {
  return useContext(Session);
}
