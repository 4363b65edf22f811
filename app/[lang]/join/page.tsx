import type { Metadata } from 'next';
import { connection } from 'next/server';
import { isLang } from '../../_i18n/negotiate.ts';
import { uiText } from '../../_i18n/ui-text.ts';
import type { PageProps } from '../teach/_parts/frame.tsx';
import { JoinPage } from './join-form.tsx';

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const { lang } = await params;
  return { title: isLang(lang) ? uiText(lang).join.title : undefined };
}

/** /join: a learner types the class code and a nickname. */
export default async function JoinCodePage(props: PageProps) {
  await connection();
  return <JoinPage {...props} />;
}
