import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { listLessons, type LessonSummary } from '../../../../../lib/lessons/catalog.ts';
import type { Lang } from '../../../../../lib/protocol.ts';
import { CLASS_PASSWORD_MIN } from '../../../../../lib/server/auth/class-forms.ts';
import { formatJoinCode } from '../../../../../lib/server/auth/codes.ts';
import { authContext } from '../../../../../lib/server/auth/context.ts';
import { classInstructors } from '../../../../../lib/server/auth/store.ts';
import { ltiClassStatus, type LtiClassStatus } from '../../../../../lib/server/lti/class-status.ts';
import {
  classById,
  classLessons,
  instructorRole,
  type ClassRecord,
  type InstructorRole,
} from '../../../../../lib/server/db/index.ts';
import { isLang } from '../../../../_i18n/negotiate.ts';
import { uiText } from '../../../../_i18n/ui-text.ts';
import {
  AccountPage,
  FormMessages,
  orUnavailable,
  param,
  Unavailable,
  type PageProps,
} from '../../_parts/frame.tsx';
import { Field } from '../../_parts/field.tsx';
import styles from '../../_parts/forms.module.css';
import { requireInstructor } from '../../_parts/instructor.ts';
import { SignedInBar } from '../../_parts/sign-out.tsx';

type Props = PageProps<{ id: string }>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { lang } = await params;
  return { title: isLang(lang) ? uiText(lang).teach.settings : undefined };
}

/** What the settings page shows: the class, the viewer's role, its lessons and instructors. */
async function load(lang: Lang, classId: string) {
  const instructor = await requireInstructor(lang);
  const { db } = await authContext();
  const role = await instructorRole(db, classId, instructor.id);
  const found = role && (await classById(db, classId));
  if (!role || !found) return null; // not theirs looks the same as not there
  return {
    instructor,
    role,
    found,
    picked: await classLessons(db, classId),
    instructors: await classInstructors(db, classId),
    lessons: await listLessons(),
    lms: await ltiClassStatus(db, classId),
  };
}

/** The page's own absolute URL origin, for the join link shown to copy. */
async function siteOrigin(): Promise<string> {
  const h = await headers();
  const proto = h.get('x-forwarded-proto')?.split(',')[0] ?? 'http';
  return `${proto}://${h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000'}`;
}

/** /teach/classes/[id]: one class's settings, for its owner and co-instructors only. */
export default async function ClassPage({ params, searchParams }: Props) {
  await connection();
  const { lang, id } = await params;
  if (!isLang(lang)) notFound();
  const path = `/teach/classes/${id}`;
  const loaded = await orUnavailable(() => load(lang, id));
  if (loaded === 'unavailable') return <Unavailable lang={lang} path={path} />;
  if (!loaded) notFound();
  const { instructor, role, found, picked, instructors, lessons, lms } = loaded;
  const search = await searchParams;
  const t = uiText(lang).teach;
  const archived = found.archivedAt !== null;
  return (
    <AccountPage lang={lang} path={path}>
      <SignedInBar lang={lang} name={instructor.name} />
      <p>
        <Link href={`/${lang}/teach/classes`}>{t.allClasses}</Link>
      </p>
      <h1 className={styles.title}>{found.name}</h1>
      <p className={styles.intro}>
        {t.settings}
        {archived && ` · ${t.archivedNote}`}
      </p>
      <p>
        <Link href={`/${lang}/teach/classes/${id}/dashboard`} className="btn btn-primary">
          {uiText(lang).dashboard.link}
        </Link>
      </p>
      <FormMessages
        error={param(search, 'error')}
        saved={param(search, 'saved')}
        errors={t.errors}
        savedTexts={t.saved}
      />
      <JoinSection lang={lang} found={found} origin={await siteOrigin()} />
      {lms && <LmsSection lang={lang} classId={id} status={lms} />}
      <Section id="rename" heading={t.rename}>
        <ActionForm lang={lang} classId={id} action="rename" inline>
          <Field
            id="class-name"
            label={t.className}
            grow
            name="name"
            defaultValue={found.name}
            maxLength={80}
            required
          />
          <button type="submit" className="btn">
            {t.saveName}
          </button>
        </ActionForm>
      </Section>
      <LessonsSection lang={lang} classId={id} picked={picked} lessons={lessons} />
      <PasswordSection lang={lang} found={found} />
      <InstructorsSection lang={lang} classId={id} role={role} instructors={instructors} />
      {role === 'owner' && (
        <Section id="archive" heading={t.dangerHeading}>
          <ActionForm lang={lang} classId={id} action={archived ? 'restore' : 'archive'}>
            <div>
              <button type="submit" className={archived ? 'btn' : 'btn btn-danger'}>
                {archived ? t.restore : t.archive}
              </button>
            </div>
          </ActionForm>
        </Section>
      )}
    </AccountPage>
  );
}

function Section({
  id,
  heading,
  help,
  children,
}: {
  id: string;
  heading: string;
  help?: string;
  children: ReactNode;
}) {
  return (
    <section className={styles.section} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      {help && <p className={styles.help}>{help}</p>}
      {children}
    </section>
  );
}

/** A form posting one settings action for this class. */
function ActionForm({
  lang,
  classId,
  action,
  inline,
  children,
}: {
  lang: Lang;
  classId: string;
  action: string;
  inline?: boolean;
  children: ReactNode;
}) {
  return (
    <form
      method="post"
      action={`/api/teach/classes/${classId}`}
      className={inline ? styles.inline : styles.form}
    >
      <input type="hidden" name="lang" value={lang} />
      <input type="hidden" name="action" value={action} />
      {children}
    </form>
  );
}

function JoinSection({ lang, found, origin }: { lang: Lang; found: ClassRecord; origin: string }) {
  const t = uiText(lang).teach;
  const code = formatJoinCode(found.joinCode);
  const link = `${origin}/${lang}/join/${code}`;
  return (
    <Section id="join" heading={t.joinHeading} help={t.joinHelp}>
      <p className={styles.meta}>{t.joinCode}</p>
      <p className={styles.bigCode}>{code}</p>
      <p className={styles.meta}>{t.joinLink}</p>
      <p>
        <a href={link}>{link}</a>
      </p>
    </Section>
  );
}

/** The LMS course this class is linked to, how its grades stand, and a roster sync. */
function LmsSection({
  lang,
  classId,
  status,
}: {
  lang: Lang;
  classId: string;
  status: LtiClassStatus;
}) {
  const t = uiText(lang).teach.lms;
  const allSent = status.waiting === 0 && status.held === 0;
  return (
    <Section id="lms" heading={t.heading} help={t.help}>
      <dl className={styles.facts}>
        <dt>{t.course}</dt>
        <dd>{status.course}</dd>
        <dt>{t.platform}</dt>
        <dd>{status.platform}</dd>
      </dl>
      {allSent && <p>{t.allSent}</p>}
      {status.waiting > 0 && <p>{t.waiting(status.waiting)}</p>}
      {status.held > 0 && <p className={styles.warning}>{t.held(status.held)}</p>}
      {status.lastError && (
        <p className={styles.meta}>
          {t.lastError}: <code>{status.lastError}</code>
        </p>
      )}
      <div className={styles.inline}>
        {status.held > 0 && (
          <ClassPost lang={lang} classId={classId} action="/api/lti/grades/retry">
            {t.retryHeld}
          </ClassPost>
        )}
        {status.canSyncRoster && (
          <ClassPost lang={lang} classId={classId} action="/api/lti/roster">
            {t.syncRoster}
          </ClassPost>
        )}
      </div>
    </Section>
  );
}

/** A one-button form posting this class (and the page's language) to an LTI route. */
function ClassPost({
  lang,
  classId,
  action,
  children,
}: {
  lang: Lang;
  classId: string;
  action: string;
  children: ReactNode;
}) {
  return (
    <form method="post" action={action}>
      <input type="hidden" name="lang" value={lang} />
      <input type="hidden" name="classId" value={classId} />
      <button type="submit" className="btn">
        {children}
      </button>
    </form>
  );
}

function lessonTitle(lesson: LessonSummary | undefined, lang: Lang, lessonId: string): string {
  return lesson?.text[lang]?.title ?? lesson?.text[lesson.languages[0]!]?.title ?? lessonId;
}

function LessonsSection({
  lang,
  classId,
  picked,
  lessons,
}: {
  lang: Lang;
  classId: string;
  picked: string[];
  lessons: LessonSummary[];
}) {
  const t = uiText(lang).teach;
  const byId = new Map(lessons.map((lesson) => [lesson.id, lesson]));
  return (
    <Section id="lessons" heading={t.lessonsHeading} help={t.lessonsHelp}>
      <ActionForm lang={lang} classId={classId} action="lessons">
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>{t.pickLessons}</legend>
          {lessons.map((lesson) => (
            <label key={lesson.id} className={styles.check}>
              <input
                type="checkbox"
                name="lesson"
                value={lesson.id}
                defaultChecked={picked.includes(lesson.id)}
              />
              <span>{lessonTitle(lesson, lang, lesson.id)}</span>
            </label>
          ))}
        </fieldset>
        <div>
          <button type="submit" className="btn">
            {t.saveLessons}
          </button>
        </div>
      </ActionForm>
      <h3>{t.orderHeading}</h3>
      {picked.length === 0 ? (
        <p>{t.noLessonsPicked}</p>
      ) : (
        <ol className={styles.list}>
          {picked.map((lessonId, index) => {
            const title = lessonTitle(byId.get(lessonId), lang, lessonId);
            return (
              <li key={lessonId} className={styles.row}>
                <span className={styles.grow}>
                  {index + 1}. {title}
                </span>
                <MoveButton
                  {...{ lang, classId, lessonId }}
                  direction="up"
                  title={title}
                  disabled={index === 0}
                />
                <MoveButton
                  {...{ lang, classId, lessonId }}
                  direction="down"
                  title={title}
                  disabled={index === picked.length - 1}
                />
              </li>
            );
          })}
        </ol>
      )}
    </Section>
  );
}

function MoveButton(props: {
  lang: Lang;
  classId: string;
  lessonId: string;
  title: string;
  direction: 'up' | 'down';
  disabled: boolean;
}) {
  const t = uiText(props.lang).teach;
  const up = props.direction === 'up';
  return (
    <form method="post" action={`/api/teach/classes/${props.classId}`}>
      <input type="hidden" name="lang" value={props.lang} />
      <input type="hidden" name="action" value="move" />
      <input type="hidden" name="lesson" value={props.lessonId} />
      <input type="hidden" name="direction" value={props.direction} />
      <button
        type="submit"
        className="btn"
        disabled={props.disabled}
        aria-label={up ? t.moveUp(props.title) : t.moveDown(props.title)}
      >
        {up ? t.up : t.down}
      </button>
    </form>
  );
}

function PasswordSection({ lang, found }: { lang: Lang; found: ClassRecord }) {
  const t = uiText(lang).teach;
  return (
    <Section id="password" heading={t.passwordHeading} help={t.passwordHelp}>
      <p>{found.passwordHash ? t.hasPassword : t.noPassword}</p>
      <ActionForm lang={lang} classId={found.id} action="password" inline>
        <Field
          id="class-password"
          label={t.newPassword}
          hint={t.classPasswordHint(CLASS_PASSWORD_MIN)}
          grow
          type="password"
          name="password"
          autoComplete="new-password"
          minLength={CLASS_PASSWORD_MIN}
          required
        />
        <button type="submit" className="btn">
          {t.setPassword}
        </button>
      </ActionForm>
      {found.passwordHash && (
        <ActionForm lang={lang} classId={found.id} action="password">
          <input type="hidden" name="clear" value="1" />
          <div>
            <button type="submit" className="btn">
              {t.clearPassword}
            </button>
          </div>
        </ActionForm>
      )}
    </Section>
  );
}

function InstructorsSection({
  lang,
  classId,
  role,
  instructors,
}: {
  lang: Lang;
  classId: string;
  role: InstructorRole;
  instructors: Array<{ id: string; name: string; email: string; role: InstructorRole }>;
}) {
  const t = uiText(lang).teach;
  const owner = role === 'owner';
  return (
    <Section id="instructors" heading={t.instructorsHeading} help={t.instructorsHelp}>
      <ul className={styles.list}>
        {instructors.map((person) => (
          <li key={person.id} className={styles.row}>
            <span className={styles.grow}>
              {person.name} <span className={styles.meta}>({person.email})</span>
              <br />
              <span className={styles.meta}>{t.role[person.role]}</span>
            </span>
            {owner && person.role === 'co' && (
              <ActionForm lang={lang} classId={classId} action="remove-instructor" inline>
                <input type="hidden" name="user" value={person.id} />
                <button type="submit" className="btn" aria-label={t.removeInstructor(person.name)}>
                  {t.remove}
                </button>
              </ActionForm>
            )}
          </li>
        ))}
      </ul>
      {owner ? (
        <ActionForm lang={lang} classId={classId} action="add-instructor" inline>
          <Field
            id="instructor-email"
            label={t.instructorEmail}
            grow
            type="email"
            name="email"
            required
          />
          <button type="submit" className="btn">
            {t.addInstructor}
          </button>
        </ActionForm>
      ) : (
        <p className={styles.meta}>{t.ownerOnly}</p>
      )}
    </Section>
  );
}
