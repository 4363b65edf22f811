import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { notFound } from 'next/navigation';
import { Lang } from '../../lib/protocol.ts';
import { isLang } from '../_i18n/negotiate.ts';
import { htmlLang, uiText } from '../_i18n/ui-text.ts';
import '../globals.css';

/** Only the lesson languages exist as top-level paths; anything else is a 404. */
export const dynamicParams = false;

/** One root layout per language, so `<html lang>` is right from the first byte. */
export function generateStaticParams(): Array<{ lang: Lang }> {
  return Lang.options.map((lang) => ({ lang }));
}

export async function generateMetadata({
  params,
}: {
  params: Promise<{ lang: string }>;
}): Promise<Metadata> {
  const { lang } = await params;
  return {
    title: { default: 'Handshake', template: '%s · Handshake' },
    description: isLang(lang) ? uiText(lang).siteTagline : undefined,
  };
}

export const viewport: Viewport = {
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f7f7f8' },
    { media: '(prefers-color-scheme: dark)', color: '#111317' },
  ],
};

export default async function RootLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ lang: string }>;
}) {
  const { lang } = await params;
  if (!isLang(lang)) notFound();
  return (
    <html lang={htmlLang(lang)}>
      <body>{children}</body>
    </html>
  );
}
