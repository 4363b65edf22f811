import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { Lang } from '../../../lib/protocol.ts';
import { NICKNAME_MAX } from '../../../lib/server/db/ids.ts';
import { learnerFromHeaders, type Learner } from '../../../lib/server/auth/request.ts';
import { isLang } from '../../_i18n/negotiate.ts';
import { uiText } from '../../_i18n/ui-text.ts';
import {
  AccountPage,
  FormMessages,
  orUnavailable,
  param,
  Unavailable,
  type PageProps,
} from '../teach/_parts/frame.tsx';
import { Field } from '../teach/_parts/field.tsx';
import styles from '../teach/_parts/forms.module.css';

/** /join and /join/[code]: the join form (code prefilled from a link), and the class joined. */
export async function JoinPage({ params, searchParams, code }: PageProps & { code?: string }) {
  const { lang } = await params;
  if (!isLang(lang)) notFound();
  const path = code ? `/join/${encodeURIComponent(code)}` : '/join';
  const learner = await orUnavailable(async () => learnerFromHeaders(await headers()));
  if (learner === 'unavailable') return <Unavailable lang={lang} path={path} />;
  const search = await searchParams;
  const t = uiText(lang).join;
  return (
    <AccountPage lang={lang} path={path}>
      <h1 className={styles.title}>{learner ? t.joinedTitle : t.title}</h1>
      {learner ? (
        <Joined lang={lang} learner={learner} />
      ) : (
        <p className={styles.intro}>{t.intro}</p>
      )}
      <FormMessages error={param(search, 'error')} errors={t.errors} />
      <section className={styles.section} aria-labelledby="join-form">
        <h2 id="join-form">{learner ? t.another : t.title}</h2>
        <JoinForm lang={lang} code={code ?? ''} nickname={param(search, 'nickname') ?? ''} />
      </section>
      {!learner && (
        <p>
          <Link href={`/${lang}`}>{t.anonymous}</Link>
        </p>
      )}
    </AccountPage>
  );
}

function Joined({ lang, learner }: { lang: Lang; learner: Learner }) {
  const t = uiText(lang).join;
  return (
    <div className={styles.section}>
      <p>{t.joined(learner.nickname, learner.className)}</p>
      {learner.archived && <p className={styles.meta}>{t.archived}</p>}
      <div className={styles.actions}>
        <Link href={`/${lang}`} className="btn btn-primary">
          {t.toLessons}
        </Link>
        <form method="post" action="/api/join/leave">
          <input type="hidden" name="lang" value={lang} />
          <button type="submit" className="btn">
            {t.leave}
          </button>
        </form>
      </div>
    </div>
  );
}

function JoinForm({ lang, code, nickname }: { lang: Lang; code: string; nickname: string }) {
  const t = uiText(lang).join;
  return (
    <form method="post" action="/api/join" className={styles.form}>
      <input type="hidden" name="lang" value={lang} />
      <Field
        id="join-code"
        label={t.code}
        hint={t.codeHint}
        className={styles.code}
        name="code"
        defaultValue={code}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={20}
        required
      />
      <Field
        id="join-nickname"
        label={t.nickname}
        hint={t.nicknameHint}
        name="nickname"
        defaultValue={nickname}
        autoComplete="nickname"
        maxLength={NICKNAME_MAX}
        required
      />
      <Field
        id="join-password"
        label={t.password}
        type="password"
        name="password"
        autoComplete="off"
      />
      <div>
        <button type="submit" className="btn btn-primary">
          {t.submit}
        </button>
      </div>
    </form>
  );
}
