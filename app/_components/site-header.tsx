import Link from 'next/link';
import type { ReactNode } from 'react';
import type { Lang } from '../../lib/protocol.ts';
import { uiText } from '../_i18n/ui-text.ts';
import { LanguageSwitch } from './language-switch.tsx';
import styles from './site-header.module.css';

/** The top bar: wordmark, an optional trail (e.g. the lesson title) and the language switch. */
export function SiteHeader({
  lang,
  trail,
  alternates,
}: {
  lang: Lang;
  trail?: ReactNode;
  /** The same page in each language it exists in. */
  alternates: Array<{ lang: Lang; href: string }>;
}) {
  return (
    <header className={styles.header}>
      <Link
        href={`/${lang}`}
        className={styles.brand}
        aria-label={`Handshake — ${uiText(lang).allLessons}`}
      >
        <Logo />
        <span>Handshake</span>
      </Link>
      {trail ? <div className={styles.trail}>{trail}</div> : <div className={styles.trail} />}
      <LanguageSwitch current={lang} alternates={alternates} />
    </header>
  );
}

/** Two arrows passing each other: a message and its reply. */
function Logo() {
  return (
    <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" className={styles.logo}>
      <path
        d="M3 8h14l-3.5-3.5M21 16H7l3.5 3.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
