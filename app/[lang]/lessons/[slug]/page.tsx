import { createHash } from 'node:crypto';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { DEFAULT_COMPARE_AFTER_FAILED_RUNS } from '../../../../lib/client/lesson-progress.ts';
import { listLessons, loadLesson } from '../../../../lib/lessons/catalog.ts';
import type { Lang, SourceFile } from '../../../../lib/protocol.ts';
import { DevRefresh } from '../../../_components/dev-refresh.tsx';
import { LessonProse } from '../../../_components/lesson-prose.tsx';
import { LessonSessionProvider } from '../../../_components/lesson-session.tsx';
import { SiteHeader } from '../../../_components/site-header.tsx';
import { SplitPane } from '../../../_components/split-pane.tsx';
import { LangProvider } from '../../../_components/ui-text-context.tsx';
import { Workbench } from '../../../_components/workbench.tsx';
import { isLang } from '../../../_i18n/negotiate.ts';
import { uiText } from '../../../_i18n/ui-text.ts';
import styles from './lesson-page.module.css';
import {
  appSandboxRegistry,
  defaultSandboxUrl,
} from '../../../../lib/server/sandboxes/app-registry.ts';

interface Params {
  params: Promise<{ lang: string; slug: string }>;
}

async function lessonFor(params: Params['params']) {
  const { lang, slug } = await params;
  if (!isLang(lang)) notFound();
  const lesson = await loadLesson(slug, lang);
  if (!lesson) notFound();
  return lesson;
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const lesson = await lessonFor(params);
  return { title: lesson.frontmatter.title, description: lesson.frontmatter.summary };
}

/** A lesson: prose on the left, the workbench (editor, terminals, checks) on the right. */
export default async function LessonPage({ params }: Params) {
  await connection(); // the sandbox URL and the lesson files are read per request
  const lesson = await lessonFor(params);
  const { lang, slug } = lesson;
  const t = uiText(lang);
  const lessons = await listLessons();
  const index = lessons.findIndex((l) => l.slug === slug);
  const sandboxUrl = defaultSandboxUrl();
  const routed = appSandboxRegistry() !== null;

  return (
    <LangProvider lang={lang}>
      {process.env.NODE_ENV === 'development' && <DevRefresh lang={lang} slug={slug} />}
      <div className={styles.page}>
        <SiteHeader
          lang={lang}
          alternates={lesson.languages.map((l) => ({ lang: l, href: `/${l}/lessons/${slug}` }))}
          trail={
            <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
              <Link href={`/${lang}`}>{t.allLessons}</Link>
              <span aria-hidden="true">/</span>
              <span aria-current="page" className={styles.current}>
                {lesson.frontmatter.title}
              </span>
            </nav>
          }
        />
        <main className={styles.main}>
          <LessonSessionProvider lessonId={lesson.frontmatter.id}>
            <SplitPane
              direction="row"
              initial={0.42}
              label={t.resizePanes}
              storageKey="handshake:split:lesson"
              className={styles.split}
              first={
                <div
                  className={styles.prosePane}
                  role="region"
                  aria-label={t.lessonPane}
                  tabIndex={0}
                >
                  <p className={styles.position}>{t.lessonNumber(index + 1, lessons.length)}</p>
                  <LessonProse code={lesson.code} />
                  <LessonNav lang={lang} previous={lessons[index - 1]} next={lessons[index + 1]} />
                </div>
              }
              second={
                <Workbench
                  // A changed starter (a lesson file saved in dev) restores the files afresh.
                  key={starterStamp(lesson.starter)}
                  slug={slug}
                  lang={lang}
                  starter={lesson.starter}
                  solution={lesson.solution}
                  compareAfterFailedRuns={
                    lesson.frontmatter.compareAfterFailedRuns ?? DEFAULT_COMPARE_AFTER_FAILED_RUNS
                  }
                  sandboxUrl={sandboxUrl}
                  routed={routed}
                />
              }
            />
          </LessonSessionProvider>
        </main>
      </div>
    </LangProvider>
  );
}

type Neighbour = Awaited<ReturnType<typeof listLessons>>[number] | undefined;

function LessonNav({ lang, previous, next }: { lang: Lang; previous: Neighbour; next: Neighbour }) {
  const t = uiText(lang);
  const link = (lesson: NonNullable<Neighbour>, label: string, className: string) => {
    const shown = lesson.text[lang] ? lang : lesson.languages[0]!;
    return (
      <Link href={`/${shown}/lessons/${lesson.slug}`} className={`${styles.navLink} ${className}`}>
        <span className={styles.navLabel}>{label}</span>
        <span className={styles.navTitle}>{lesson.text[shown]!.title}</span>
      </Link>
    );
  };
  if (!previous && !next) return null;
  return (
    <nav aria-label={t.allLessons} className={styles.nav}>
      {previous ? link(previous, `← ${t.previousLesson}`, styles.navPrevious!) : <span />}
      {next ? link(next, `${t.nextLesson} →`, styles.navNext!) : <span />}
    </nav>
  );
}

/** A short fingerprint of the starter files, so a changed starter remounts the workbench. */
function starterStamp(files: SourceFile[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.name}\0${file.content}\0`);
  return hash.digest('base64url').slice(0, 16);
}
