import Link from 'next/link';
import type { Lang } from '../../lib/protocol.ts';
import { uiText } from '../_i18n/ui-text.ts';
import styles from './site-header.module.css';

/** Links to the same page in the other languages; the current one is marked, not linked. */
export function LanguageSwitch({
  current,
  alternates,
}: {
  current: Lang;
  alternates: Array<{ lang: Lang; href: string }>;
}) {
  return (
    <nav aria-label={uiText(current).switchLanguage} className={styles.languages}>
      {alternates.map(({ lang, href }) =>
        lang === current ? (
          <span key={lang} aria-current="page" className={styles.languageCurrent} lang={lang}>
            {uiText(lang).languageName}
          </span>
        ) : (
          <Link key={lang} href={href} hrefLang={lang} lang={lang} className={styles.language}>
            {uiText(lang).languageName}
          </Link>
        ),
      )}
    </nav>
  );
}
