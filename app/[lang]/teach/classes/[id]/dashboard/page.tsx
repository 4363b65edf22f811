import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import type { Lang } from '../../../../../../lib/protocol.ts';
import { authContext } from '../../../../../../lib/server/auth/context.ts';
import { dashboardSnapshot } from '../../../../../../lib/server/classroom/dashboard-data.ts';
import { lessonTitles } from '../../../../../../lib/server/classroom/routes.ts';
import { classById, instructorRole } from '../../../../../../lib/server/db/index.ts';
import { isLang } from '../../../../../_i18n/negotiate.ts';
import { uiText } from '../../../../../_i18n/ui-text.ts';
import { AccountPage, orUnavailable, Unavailable, type PageProps } from '../../../_parts/frame.tsx';
import styles from '../../../_parts/forms.module.css';
import { requireInstructor } from '../../../_parts/instructor.ts';
import { SignedInBar } from '../../../_parts/sign-out.tsx';
import own from './dashboard.module.css';
import { DashboardGrid } from './dashboard-grid.tsx';

type Props = PageProps<{ id: string }>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { lang } = await params;
  return { title: isLang(lang) ? uiText(lang).dashboard.link : undefined };
}

async function load(lang: Lang, classId: string) {
  const instructor = await requireInstructor(lang);
  const { db } = await authContext();
  const role = await instructorRole(db, classId, instructor.id);
  const found = role && (await classById(db, classId));
  if (!role || !found) return null; // not theirs looks the same as not there
  const [snapshot, titles] = await Promise.all([
    dashboardSnapshot(db, classId),
    lessonTitles(lang),
  ]);
  return { instructor, found, snapshot, titles };
}

/** /teach/classes/[id]/dashboard: the live roster × lessons grid, for the class's instructors. */
export default async function DashboardPage({ params }: Props) {
  await connection();
  const { lang, id } = await params;
  if (!isLang(lang)) notFound();
  const path = `/teach/classes/${id}/dashboard`;
  const loaded = await orUnavailable(() => load(lang, id));
  if (loaded === 'unavailable') return <Unavailable lang={lang} path={path} />;
  if (!loaded) notFound();
  const { instructor, found, snapshot, titles } = loaded;
  const t = uiText(lang).dashboard;
  return (
    <AccountPage lang={lang} path={path} wide>
      <SignedInBar lang={lang} name={instructor.name} />
      <h1 className={styles.title}>{t.title(found.name)}</h1>
      <p className={styles.intro}>{t.intro}</p>
      <div className={own.toolbar}>
        <Link href={`/${lang}/teach/classes/${id}`}>{t.settings}</Link>
        <a href={`/api/teach/classes/${id}/progress.csv?lang=${lang}`} download>
          {t.exportCsv}
        </a>
      </div>
      <DashboardGrid
        lang={lang}
        classId={id}
        initial={snapshot}
        titles={Object.fromEntries(snapshot.lessonIds.map((l) => [l, titles.get(l) ?? l]))}
      />
    </AccountPage>
  );
}
