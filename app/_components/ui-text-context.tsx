'use client';

import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import type { Lang } from '../../lib/protocol.ts';
import { uiText } from '../_i18n/ui-text.ts';
import type { UiText } from '../_i18n/ui-text.ts';

const LangContext = createContext<Lang>('en');

/** Makes the page language available to client components deep in the lesson (e.g. Quiz). */
export function LangProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  return <LangContext.Provider value={lang}>{children}</LangContext.Provider>;
}

/** The UI strings in the page language. */
export function useUiText(): UiText {
  return uiText(useContext(LangContext));
}
