'use client';

import Link from 'next/link';
import { useState, useSyncExternalStore } from 'react';
import {
  browserLessonStates,
  importBody,
  importedKey,
  loadLastVisit,
  savedFiles,
  type LessonState,
} from '../../lib/client/browser-progress.ts';
import type { Lang } from '../../lib/protocol.ts';
import { uiText } from '../_i18n/ui-text.ts';
import styles from './lesson-list.module.css';

/** Another tab changing localStorage re-reads it here. */
function subscribe(listener: () => void): () => void {
  window.addEventListener('storage', listener);
  return () => window.removeEventListener('storage', listener);
}

/** A value read from localStorage after hydration (the server and first paint see `server`). */
function useBrowser<T extends string | boolean | null>(read: () => T, server: T): T {
  return useSyncExternalStore(
    subscribe,
    () => {
      try {
        return read();
      } catch {
        return server;
      }
    },
    () => server,
  );
}

/** A lesson as these components need it. */
export interface ListedLesson {
  id: string;
  slug: string;
  lang: Lang;
  title: string;
}

/** Where to continue: a lesson, a file, and the first lines of its code. */
export interface ContinuePoint {
  lessonId: string;
  file: string;
  code: string;
}

/** The lesson's state: from the server for a joined learner, else from this browser. */
export function LessonState({
  lang,
  lessonId,
  serverState,
}: {
  lang: Lang;
  lessonId: string;
  /** undefined: anonymous (read the browser); null: joined, not started. */
  serverState: LessonState | null | undefined;
}) {
  const t = uiText(lang).progress;
  const browserState = useBrowser<LessonState | null>(
    () =>
      serverState === undefined
        ? (browserLessonStates(localStorage, [lessonId])[lessonId] ?? null)
        : null,
    null,
  );
  const state = serverState === undefined ? browserState : serverState;
  return (
    <span className={styles.state} data-state={state ?? 'none'}>
      {state === 'done' ? t.done : state === 'started' ? t.started : t.notStarted}
    </span>
  );
}

const PREVIEW_LINES = 6;

/** The first lines of some code, for the "continue" card. */
export function codePreview(code: string): string {
  return code.split('\n').slice(0, PREVIEW_LINES).join('\n');
}

/**
 * "Continue where you left off": the server's latest lesson for a joined learner, else the
 * last lesson and file open in this browser, with the first lines of its code.
 */
export function ContinueCard({
  lang,
  lessons,
  fromServer,
}: {
  lang: Lang;
  lessons: ListedLesson[];
  fromServer: ContinuePoint | null | undefined;
}) {
  // A string snapshot (stable between reads), parsed below.
  const stored = useBrowser<string | null>(() => {
    if (fromServer !== undefined) return null;
    const last = loadLastVisit(localStorage);
    if (!last) return null;
    const file = savedFiles(localStorage, last.lessonId).find((f) => f.name === last.file);
    return JSON.stringify({ ...last, code: codePreview(file?.content ?? '') });
  }, null);
  const point: ContinuePoint | null =
    fromServer !== undefined ? fromServer : stored ? (JSON.parse(stored) as ContinuePoint) : null;
  const lesson = point && lessons.find((l) => l.id === point.lessonId);
  if (!point || !lesson) return null;
  const t = uiText(lang).progress;
  return (
    <section className={styles.continue} aria-labelledby="continue-heading">
      <h2 id="continue-heading" className={styles.continueTitle}>
        {t.continueTitle}
      </h2>
      <p>
        <Link href={`/${lesson.lang}/lessons/${lesson.slug}`} lang={lesson.lang}>
          {t.continueLink(lesson.title, point.file)}
        </Link>
      </p>
      {point.code && (
        <pre className={styles.preview} tabIndex={0} aria-label={point.file}>
          <code>{point.code}</code>
        </pre>
      )}
    </section>
  );
}

/** For a joined learner whose browser has earlier progress: bring it into the class, once. */
export function ImportProgress({
  lang,
  learnerId,
  lessonIds,
}: {
  lang: Lang;
  learnerId: string;
  lessonIds: string[];
}) {
  const t = uiText(lang).progress;
  const [dismissed, setDismissed] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const offered = useBrowser(
    () =>
      !localStorage.getItem(importedKey(learnerId)) &&
      importBody(localStorage, lessonIds).lessons.length > 0,
    false,
  );
  const offer = offered && !dismissed;
  if (!offer && !result) return null;
  const bring = async () => {
    try {
      const response = await fetch('/api/progress/import', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(importBody(localStorage, lessonIds)),
      });
      if (!response.ok) throw new Error(String(response.status));
      const { added } = (await response.json()) as { added: string[] };
      localStorage.setItem(importedKey(learnerId), new Date().toISOString());
      setDismissed(true);
      setResult(t.imported(added.length));
    } catch {
      setResult(t.importFailed);
    }
  };
  return (
    <section className={styles.continue} aria-labelledby="import-heading">
      <h2 id="import-heading" className={styles.continueTitle}>
        {t.importTitle}
      </h2>
      {offer && (
        <>
          <p>{t.importHelp}</p>
          <button type="button" className="btn" onClick={() => void bring()}>
            {t.importButton}
          </button>
        </>
      )}
      <p role="status">{result}</p>
    </section>
  );
}
