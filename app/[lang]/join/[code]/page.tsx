import type { Metadata } from 'next';
import { connection } from 'next/server';
import { isLang } from '../../../_i18n/negotiate.ts';
import { uiText } from '../../../_i18n/ui-text.ts';
import type { PageProps } from '../../teach/_parts/frame.tsx';
import { JoinPage } from '../join-form.tsx';

type Props = PageProps<{ code: string }>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { lang } = await params;
  return { title: isLang(lang) ? uiText(lang).join.title : undefined };
}

/** /join/[code]: the join link an instructor shares, with the code filled in. */
export default async function JoinLinkPage(props: Props) {
  await connection();
  const { code } = await props.params;
  // Only the code's own characters are echoed back into the form.
  const typed = decodeURIComponent(code)
    .replace(/[^0-9A-Za-z-]/g, '')
    .slice(0, 20);
  return <JoinPage {...props} code={typed} />;
}
