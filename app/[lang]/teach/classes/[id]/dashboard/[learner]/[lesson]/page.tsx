import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { listLessons, loadLesson } from '../../../../../../../../lib/lessons/catalog.ts';
import type { Lang } from '../../../../../../../../lib/protocol.ts';
import { authContext } from '../../../../../../../../lib/server/auth/context.ts';
import {
  cellDetail,
  type CellDetail,
} from '../../../../../../../../lib/server/classroom/dashboard-data.ts';
import { classLessons, instructorRole } from '../../../../../../../../lib/server/db/index.ts';
import { isLang } from '../../../../../../../_i18n/negotiate.ts';
import { uiText } from '../../../../../../../_i18n/ui-text.ts';
import {
  AccountPage,
  orUnavailable,
  Unavailable,
  type PageProps,
} from '../../../../../_parts/frame.tsx';
import styles from '../../../../../_parts/forms.module.css';
import { requireInstructor } from '../../../../../_parts/instructor.ts';
import { CompareSolution } from '../../compare-solution.tsx';
import own from '../../dashboard.module.css';

type Props = PageProps<{ id: string; learner: string; lesson: string }>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { lang } = await params;
  return { title: isLang(lang) ? uiText(lang).dashboard.link : undefined };
}

async function load(lang: Lang, classId: string, learnerId: string, lessonId: string) {
  const instructor = await requireInstructor(lang);
  const { db } = await authContext();
  const role = await instructorRole(db, classId, instructor.id);
  if (!role || !(await classLessons(db, classId)).includes(lessonId)) return null;
  const detail = await cellDetail(db, classId, learnerId, lessonId);
  if (!detail) return null;
  const summary = (await listLessons()).find((lesson) => lesson.id === lessonId);
  const shownLang = summary?.text[lang] ? lang : summary?.languages[0];
  const lesson = summary && shownLang && (await loadLesson(summary.slug, shownLang));
  return { detail, lesson: lesson || null, title: lesson?.frontmatter.title ?? lessonId };
}

/** A moment as text in the page language, in UTC (the server does not know the viewer's zone). */
function when(iso: string, lang: Lang): string {
  const text = new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'UTC',
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
  return `${text} UTC`;
}

/** One dashboard cell: a learner's latest code, last run, attempts, and the solution beside it. */
export default async function CellPage({ params }: Props) {
  await connection();
  const { lang, id, learner, lesson: rawLesson } = await params;
  if (!isLang(lang)) notFound();
  const lessonId = decodeURIComponent(rawLesson);
  const path = `/teach/classes/${id}/dashboard/${learner}/${rawLesson}`;
  const loaded = await orUnavailable(() => load(lang, id, learner, lessonId));
  if (loaded === 'unavailable') return <Unavailable lang={lang} path={path} />;
  if (!loaded) notFound();
  const { detail, lesson, title } = loaded;
  const t = uiText(lang).dashboard.detail;
  return (
    <AccountPage lang={lang} path={path} wide>
      <p>
        <Link href={`/${lang}/teach/classes/${id}/dashboard`}>{t.back}</Link>
      </p>
      <h1 className={styles.title}>{t.title(detail.learner.nickname, title)}</h1>
      <LastRun detail={detail} lang={lang} />
      <section className={own.section} aria-labelledby="code-heading">
        <h2 id="code-heading">{t.code}</h2>
        {detail.code.length === 0 && <p>{t.noCode}</p>}
        {detail.cell && detail.cell.attempts === 0 && <p>{t.imported}</p>}
        {detail.code.map((file) => (
          <div key={file.name}>
            <h3 className={own.fileName}>{file.name}</h3>
            <pre className={own.pre} tabIndex={0} aria-label={file.name}>
              <code>{file.content}</code>
            </pre>
          </div>
        ))}
        {lesson && detail.code.length > 0 && lesson.solution.length > 0 && (
          <CompareSolution
            lang={lang}
            slug={lesson.slug}
            code={detail.code}
            solution={lesson.solution}
          />
        )}
      </section>
      <Attempts detail={detail} lang={lang} />
    </AccountPage>
  );
}

function LastRun({ detail, lang }: { detail: CellDetail; lang: Lang }) {
  const t = uiText(lang).dashboard.detail;
  const run = detail.lastRun;
  return (
    <section className={own.section} aria-labelledby="run-heading">
      <h2 id="run-heading">{t.lastRun}</h2>
      {!run ? (
        <p>{t.noRun}</p>
      ) : (
        <>
          <p data-outcome={run.outcome}>
            <strong>{t.outcome[run.outcome]}</strong> ·{' '}
            {t.ranAt(when(run.finishedAt, lang), run.durationMs)}
          </p>
          <h3 className={own.fileName}>{t.checks}</h3>
          <ul className={own.checks}>
            {run.checks.map((check) => (
              <li key={check.id} data-check={check.status}>
                <strong>{uiText(lang).checkStatus[check.status as 'pass'] ?? check.status}</strong>
                {' — '}
                {check.message}
              </li>
            ))}
          </ul>
          <h3 className={own.fileName}>{t.output}</h3>
          {Object.entries(run.output).map(([process, text]) => (
            <div key={process}>
              <p className={own.fileName}>{process}</p>
              <pre className={own.pre} tabIndex={0} aria-label={`${t.output}: ${process}`}>
                {text || t.noOutput}
              </pre>
            </div>
          ))}
        </>
      )}
    </section>
  );
}

function Attempts({ detail, lang }: { detail: CellDetail; lang: Lang }) {
  const t = uiText(lang).dashboard.detail;
  if (detail.attempts.length === 0) return null;
  return (
    <section className={own.section} aria-labelledby="attempts-heading">
      <h2 id="attempts-heading">{t.attempts}</h2>
      <table className={own.attempts}>
        <thead>
          <tr>
            <th scope="col">{t.when}</th>
            <th scope="col">{t.outcomeHeader}</th>
            <th scope="col">{t.checksHeader}</th>
          </tr>
        </thead>
        <tbody>
          {detail.attempts.map((attempt) => (
            <tr key={attempt.id}>
              <td>
                <time dateTime={attempt.finishedAt}>{when(attempt.finishedAt, lang)}</time>
              </td>
              <td>{t.outcome[attempt.outcome]}</td>
              <td>{t.checksPassed(attempt.passedChecks, attempt.totalChecks)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
