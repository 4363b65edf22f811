import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import type { Lang } from '../../../../lib/protocol.ts';
import { formatJoinCode } from '../../../../lib/server/auth/codes.ts';
import { authContext } from '../../../../lib/server/auth/context.ts';
import { learnerCounts } from '../../../../lib/server/auth/store.ts';
import { classesOf, type InstructorClass } from '../../../../lib/server/db/index.ts';
import { isLang } from '../../../_i18n/negotiate.ts';
import { uiText } from '../../../_i18n/ui-text.ts';
import {
  AccountPage,
  FormMessages,
  orUnavailable,
  param,
  Unavailable,
  type PageProps,
} from '../_parts/frame.tsx';
import { Field } from '../_parts/field.tsx';
import styles from '../_parts/forms.module.css';
import { requireInstructor } from '../_parts/instructor.ts';
import { SignedInBar } from '../_parts/sign-out.tsx';

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const { lang } = await params;
  return { title: isLang(lang) ? uiText(lang).teach.classesTitle : undefined };
}

/** /teach/classes: the instructor's classes (active, then archived) and a form for a new one. */
export default async function ClassesPage({ params, searchParams }: PageProps) {
  await connection();
  const { lang } = await params;
  if (!isLang(lang)) notFound();
  const loaded = await orUnavailable(async () => {
    const instructor = await requireInstructor(lang);
    const { db } = await authContext();
    const classes = await classesOf(db, instructor.id);
    const counts = await learnerCounts(
      db,
      classes.map((c) => c.id),
    );
    return { instructor, classes, counts };
  });
  if (loaded === 'unavailable') return <Unavailable lang={lang} path="/teach/classes" />;
  const { instructor, classes, counts } = loaded;
  const search = await searchParams;
  const t = uiText(lang).teach;
  const active = classes.filter((c) => c.archivedAt === null);
  const archived = classes.filter((c) => c.archivedAt !== null);
  return (
    <AccountPage lang={lang} path="/teach/classes">
      <SignedInBar lang={lang} name={instructor.name} />
      <h1 className={styles.title}>{t.classesTitle}</h1>
      <p className={styles.intro}>{t.classesIntro}</p>
      <FormMessages
        error={param(search, 'error')}
        saved={param(search, 'saved')}
        errors={t.errors}
        savedTexts={t.saved}
      />
      {classes.length === 0 && <p>{t.noClasses}</p>}
      {active.length > 0 && (
        <ClassList lang={lang} heading={t.activeClasses} classes={active} counts={counts} />
      )}
      {archived.length > 0 && (
        <ClassList lang={lang} heading={t.archivedClasses} classes={archived} counts={counts} />
      )}
      <section className={styles.section} aria-labelledby="new-class">
        <h2 id="new-class">{t.newClass}</h2>
        <form method="post" action="/api/teach/classes" className={styles.inline}>
          <input type="hidden" name="lang" value={lang} />
          <Field id="new-class-name" label={t.className} grow name="name" maxLength={80} required />
          <button type="submit" className="btn btn-primary">
            {t.create}
          </button>
        </form>
      </section>
    </AccountPage>
  );
}

function ClassList({
  lang,
  heading,
  classes,
  counts,
}: {
  lang: Lang;
  heading: string;
  classes: InstructorClass[];
  counts: Map<string, number>;
}) {
  const t = uiText(lang).teach;
  const id = `classes-${heading}`.replace(/\W+/g, '-');
  return (
    <section aria-labelledby={id} className={styles.section}>
      <h2 id={id}>{heading}</h2>
      <ul className={styles.list}>
        {classes.map((c) => (
          <li key={c.id} className={styles.row}>
            <span className={styles.grow}>
              <Link href={`/${lang}/teach/classes/${c.id}`}>{c.name}</Link>
              <br />
              <span className={styles.meta}>
                {t.joinCode}: <span className={styles.code}>{formatJoinCode(c.joinCode)}</span> ·{' '}
                {t.learners(counts.get(c.id) ?? 0)} · {t.role[c.role]}
              </span>
            </span>
            {c.role === 'owner' && <ArchiveButton lang={lang} item={c} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ArchiveButton({ lang, item }: { lang: Lang; item: InstructorClass }) {
  const t = uiText(lang).teach;
  const archived = item.archivedAt !== null;
  return (
    <form method="post" action={`/api/teach/classes/${item.id}`}>
      <input type="hidden" name="lang" value={lang} />
      <input type="hidden" name="from" value="list" />
      <input type="hidden" name="action" value={archived ? 'restore' : 'archive'} />
      <button
        type="submit"
        className="btn"
        aria-label={archived ? t.restoreClass(item.name) : t.archiveClass(item.name)}
      >
        {archived ? t.restore : t.archive}
      </button>
    </form>
  );
}
