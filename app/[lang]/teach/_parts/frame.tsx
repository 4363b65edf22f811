import type { ReactNode } from 'react';
import { DatabaseUnavailable } from '../../../../lib/server/db/index.ts';
import type { Lang } from '../../../../lib/protocol.ts';
import { SiteHeader } from '../../../_components/site-header.tsx';
import { uiText } from '../../../_i18n/ui-text.ts';
import styles from './forms.module.css';

/** The frame of the account and class pages: header with the language switch, then `main`. */
export function AccountPage({
  lang,
  path,
  children,
}: {
  lang: Lang;
  /** This page's path after the language, e.g. `/teach/classes`. */
  path: string;
  children: ReactNode;
}) {
  return (
    <div className={styles.page}>
      <SiteHeader
        lang={lang}
        alternates={(['en', 'zh'] as const).map((l) => ({ lang: l, href: `/${l}${path}` }))}
      />
      <main className={styles.main}>{children}</main>
    </div>
  );
}

/** The error (an alert) or confirmation (a status) a form's redirect came back with. */
export function FormMessages({
  error,
  saved,
  errors,
  savedTexts = {},
}: {
  error?: string;
  saved?: string;
  errors: Record<string, string>;
  savedTexts?: Record<string, string>;
}) {
  return (
    <>
      {error && (
        <p role="alert" className={styles.alert}>
          {errors[error] ?? errors.unknown}
        </p>
      )}
      {saved && savedTexts[saved] && (
        <p role="status" className={styles.status}>
          {savedTexts[saved]}
        </p>
      )}
    </>
  );
}

/** The page shown instead when the database cannot be reached: lessons still work. */
export function Unavailable({ lang, path }: { lang: Lang; path: string }) {
  return (
    <AccountPage lang={lang} path={path}>
      <p role="alert" className={styles.alert}>
        {uiText(lang).unavailable}
      </p>
    </AccountPage>
  );
}

/** Runs `work`, or returns 'unavailable' when the database cannot be reached. */
export async function orUnavailable<T>(work: () => Promise<T>): Promise<T | 'unavailable'> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DatabaseUnavailable) return 'unavailable';
    throw error;
  }
}

/** One query parameter as a string (the first when repeated). */
export function param(
  search: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = search[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Props every page here gets. */
export interface PageProps<P = object> {
  params: Promise<{ lang: string } & P>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}
