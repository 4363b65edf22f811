import Link from 'next/link';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { listLessons } from '../../lib/lessons/catalog.ts';
import type { LessonSummary } from '../../lib/lessons/catalog.ts';
import { Lang } from '../../lib/protocol.ts';
import { SiteHeader } from '../_components/site-header.tsx';
import { isLang } from '../_i18n/negotiate.ts';
import { uiText } from '../_i18n/ui-text.ts';
import styles from './lesson-list.module.css';

/** The lesson list: every lesson in order, with its title and summary in this language. */
export default async function LessonListPage({ params }: { params: Promise<{ lang: string }> }) {
  await connection(); // lessons are read from disk per request, so instructors see edits at once
  const { lang } = await params;
  if (!isLang(lang)) notFound();
  const t = uiText(lang);
  const lessons = await listLessons();
  return (
    <div className={styles.page}>
      <SiteHeader lang={lang} alternates={Lang.options.map((l) => ({ lang: l, href: `/${l}` }))} />
      <main className={styles.main}>
        <h1 className={styles.title}>{t.lessonsHeading}</h1>
        <p className={styles.intro}>{t.lessonsIntro}</p>
        {lessons.length === 0 ? (
          <p className={styles.empty}>{t.noLessons}</p>
        ) : (
          <ol className={styles.list}>
            {lessons.map((lesson, index) => (
              <LessonCard key={lesson.slug} lesson={lesson} lang={lang} number={index + 1} />
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
}: {
  lesson: LessonSummary;
  lang: Lang;
  number: number;
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
        <span className={styles.arrow} aria-hidden="true">
          →
        </span>
      </Link>
    </li>
  );
}
