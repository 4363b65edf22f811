import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { connection } from 'next/server';
import type { Lang } from '../../../lib/protocol.ts';
import { authContext } from '../../../lib/server/auth/context.ts';
import { isFirstRun, maySignUp, PASSWORD_MIN } from '../../../lib/server/auth/instructor-auth.ts';
import { instructorFromHeaders } from '../../../lib/server/auth/request.ts';
import { isLang } from '../../_i18n/negotiate.ts';
import { uiText } from '../../_i18n/ui-text.ts';
import {
  AccountPage,
  FormMessages,
  orUnavailable,
  param,
  Unavailable,
  type PageProps,
} from './_parts/frame.tsx';
import { Field } from './_parts/field.tsx';
import styles from './_parts/forms.module.css';

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const { lang } = await params;
  return { title: isLang(lang) ? uiText(lang).teach.title : undefined };
}

/** /teach: sign in, or the first-run page while no instructor exists, or sign-up when open. */
export default async function TeachPage({ params, searchParams }: PageProps) {
  await connection();
  const { lang } = await params;
  if (!isLang(lang)) notFound();
  const state = await orUnavailable(async () => {
    const { db, settings } = await authContext();
    const instructor = await instructorFromHeaders(await headers());
    return {
      signedIn: instructor !== null,
      firstRun: await isFirstRun(db),
      signupOpen: await maySignUp(db, settings.signup),
    };
  });
  if (state === 'unavailable') return <Unavailable lang={lang} path="/teach" />;
  if (state.signedIn) redirect(`/${lang}/teach/classes`);
  const search = await searchParams;
  const t = uiText(lang).teach;
  const email = param(search, 'email') ?? '';
  return (
    <AccountPage lang={lang} path="/teach">
      <h1 className={styles.title}>{state.firstRun ? t.firstRunTitle : t.signInTitle}</h1>
      <p className={styles.intro}>{state.firstRun ? t.firstRunIntro : t.signInIntro}</p>
      <FormMessages error={param(search, 'error')} errors={t.errors} />
      {state.firstRun ? (
        <SignUpForm lang={lang} email={email} />
      ) : (
        <>
          <section className={styles.section} aria-labelledby="sign-in">
            <h2 id="sign-in">{t.signIn}</h2>
            <SignInForm lang={lang} email={email} />
          </section>
          {state.signupOpen && (
            <section className={styles.section} aria-labelledby="sign-up">
              <h2 id="sign-up">{t.signUpTitle}</h2>
              <SignUpForm lang={lang} email="" />
            </section>
          )}
        </>
      )}
      <p>
        <Link href={`/${lang}/join`}>{t.learnerLink}</Link>
      </p>
    </AccountPage>
  );
}

function SignInForm({ lang, email }: { lang: Lang; email: string }) {
  const t = uiText(lang).teach;
  return (
    <form method="post" action="/api/teach/sign-in" className={styles.form}>
      <input type="hidden" name="lang" value={lang} />
      <Field
        id="sign-in-email"
        label={t.email}
        type="email"
        name="email"
        autoComplete="username"
        defaultValue={email}
        required
      />
      <Field
        id="sign-in-password"
        label={t.password}
        type="password"
        name="password"
        autoComplete="current-password"
        required
      />
      <div>
        <button type="submit" className="btn btn-primary">
          {t.signIn}
        </button>
      </div>
    </form>
  );
}

function SignUpForm({ lang, email }: { lang: Lang; email: string }) {
  const t = uiText(lang).teach;
  return (
    <form method="post" action="/api/teach/sign-up" className={styles.form}>
      <input type="hidden" name="lang" value={lang} />
      <Field
        id="sign-up-name"
        label={t.name}
        name="name"
        autoComplete="name"
        maxLength={80}
        required
      />
      <Field
        id="sign-up-email"
        label={t.email}
        type="email"
        name="email"
        autoComplete="username"
        defaultValue={email}
        required
      />
      <Field
        id="sign-up-password"
        label={t.password}
        hint={t.passwordHint(PASSWORD_MIN)}
        type="password"
        name="password"
        autoComplete="new-password"
        minLength={PASSWORD_MIN}
        required
      />
      <div>
        <button type="submit" className="btn btn-primary">
          {t.signUp}
        </button>
      </div>
    </form>
  );
}
