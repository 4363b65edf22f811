import Link from 'next/link';
import { notFound } from 'next/navigation';
import { headers } from 'next/headers';
import { connection } from 'next/server';
import { listLessons } from '../../lib/lessons/catalog.ts';
import type { LessonSummary } from '../../lib/lessons/catalog.ts';
import { Lang } from '../../lib/protocol.ts';
import { SiteHeader } from '../_components/site-header.tsx';
import { isLang } from '../_i18n/negotiate.ts';
import { uiText } from '../_i18n/ui-text.ts';
import { learnerFromHeaders } from '../../lib/server/auth/request.ts';
import { authContext } from '../../lib/server/auth/context.ts';
import { progressOf } from '../../lib/server/db/index.ts';
import type { LessonState as State } from '../../lib/client/browser-progress.ts';
import styles from './lesson-list.module.css';
import {
  codePreview,
  ContinueCard,
  ImportProgress,
  LessonState,
  type ContinuePoint,
} from './learner-progress.tsx';

/** A joined learner's states and where to continue, from the server; null when anonymous. */
async function joinedProgress(): Promise<{
  learnerId: string;
  states: Record<string, State>;
  continueAt: ContinuePoint | null;
} | null> {
  try {
    const learner = await learnerFromHeaders(await headers());
    if (!learner) return null;
    const progress = await progressOf((await authContext()).db, learner.id);
    const states = Object.fromEntries(
      progress.map((p) => [p.lessonId, p.status === 'passed' ? 'done' : 'started'] as const),
    );
    const latest = progress.toSorted((a, b) => b.lastRunAt.localeCompare(a.lastRunAt))[0];
    const file = latest?.lastCode[0];
    const continueAt =
      latest && file
        ? { lessonId: latest.lessonId, file: file.name, code: codePreview(file.content) }
        : null;
    return { learnerId: learner.id, states, continueAt };
  } catch {
    return null; // no database: the lessons work as for anyone
  }
}

/** The lesson list: every lesson in order, with its title and summary in this language. */
export default async function LessonListPage({ params }: { params: Promise<{ lang: string }> }) {
  await connection(); // lessons are read from disk per request, so instructors see edits at once
  const { lang } = await params;
  if (!isLang(lang)) notFound();
  const t = uiText(lang);
  const lessons = await listLessons();
  const joined = await joinedProgress();
  const listed = lessons.map((lesson) => {
    const shown = lesson.text[lang] ? lang : lesson.languages[0]!;
    return { id: lesson.id, slug: lesson.slug, lang: shown, title: lesson.text[shown]!.title };
  });
  return (
    <div className={styles.page}>
      <SiteHeader lang={lang} alternates={Lang.options.map((l) => ({ lang: l, href: `/${l}` }))} />
      <main className={styles.main}>
        <h1 className={styles.title}>{t.lessonsHeading}</h1>
        <p className={styles.intro}>{t.lessonsIntro}</p>
        <ContinueCard
          lang={lang}
          lessons={listed}
          fromServer={joined ? joined.continueAt : undefined}
        />
        {joined && (
          <ImportProgress
            lang={lang}
            learnerId={joined.learnerId}
            lessonIds={listed.map((l) => l.id)}
          />
        )}
        {lessons.length === 0 ? (
          <p className={styles.empty}>{t.noLessons}</p>
        ) : (
          <ol className={styles.list}>
            {lessons.map((lesson, index) => (
              <LessonCard
                key={lesson.slug}
                lesson={lesson}
                lang={lang}
                number={index + 1}
                state={joined ? (joined.states[lesson.id] ?? null) : undefined}
              />
            ))}
          </ol>
        )}
      </main>
    </div>
  );
}

function LessonCard({
  lesson,
  lang,
  number,
  state,
}: {
  lesson: LessonSummary;
  lang: Lang;
  number: number;
  /** From the server for a joined learner (null: not started); undefined: anonymous. */
  state: State | null | undefined;
}) {
  // A lesson not yet translated is listed in the language it has, marked with its own lang.
  const shownLang = lesson.text[lang] ? lang : lesson.languages[0]!;
  const text = lesson.text[shownLang]!;
  return (
    <li className={styles.item}>
      <Link href={`/${shownLang}/lessons/${lesson.slug}`} className={styles.card} lang={shownLang}>
        <span className={styles.number} aria-hidden="true">
          {String(number).padStart(2, '0')}
        </span>
        <span className={styles.text}>
          <span className={styles.cardTitle}>{text.title}</span>
          <span className={styles.summary}>{text.summary}</span>
        </span>
        <LessonState lang={lang} lessonId={lesson.id} serverState={state} />
        <span className={styles.arrow} aria-hidden="true">
          →
        </span>
      </Link>
    </li>
  );
}
