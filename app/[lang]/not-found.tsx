'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { Lang } from '../../lib/protocol.ts';
import { SiteHeader } from '../_components/site-header.tsx';
import { isLang } from '../_i18n/negotiate.ts';
import { uiText } from '../_i18n/ui-text.ts';
import styles from './lesson-list.module.css';

/** 404 for an unknown lesson, in the language of the URL, with a way back to the list. */
export default function NotFound() {
  // not-found files receive no params; the language is still in the URL.
  const params = useParams<{ lang?: string }>();
  const lang = params.lang && isLang(params.lang) ? params.lang : 'en';
  const t = uiText(lang);
  return (
    <div className={styles.page}>
      <SiteHeader lang={lang} alternates={Lang.options.map((l) => ({ lang: l, href: `/${l}` }))} />
      <main className={styles.main}>
        <p className={styles.code}>404</p>
        <h1 className={styles.title}>{t.notFoundTitle}</h1>
        <p className={styles.intro}>{t.notFoundBody}</p>
        <Link href={`/${lang}`} className="btn btn-primary">
          ← {t.backToLessons}
        </Link>
      </main>
    </div>
  );
}
