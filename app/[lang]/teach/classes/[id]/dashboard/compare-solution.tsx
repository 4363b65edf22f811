'use client';

import { useRef, useState } from 'react';
import type { Lang, SourceFile } from '../../../../../../lib/protocol.ts';
import { SolutionDiff } from '../../../../../_components/solution-diff.tsx';
import { LangProvider } from '../../../../../_components/ui-text-context.tsx';
import { uiText } from '../../../../../_i18n/ui-text.ts';
import styles from './dashboard.module.css';

/** "Compare with the solution" for an instructor: the lesson's Monaco diff, opened on demand. */
export function CompareSolution({
  lang,
  slug,
  code,
  solution,
}: {
  lang: Lang;
  slug: string;
  code: SourceFile[];
  solution: SourceFile[];
}) {
  const t = uiText(lang).dashboard.detail;
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  return (
    <LangProvider lang={lang}>
      <button
        ref={toggle}
        type="button"
        className="btn"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? t.hideCompare : t.compare}
      </button>
      {open && (
        <div className={styles.diff}>
          <SolutionDiff
            slug={slug}
            yours={code}
            solution={solution}
            initialFile={code[0]?.name ?? solution[0]?.name ?? ''}
            onClose={() => {
              setOpen(false);
              toggle.current?.focus();
            }}
          />
        </div>
      )}
    </LangProvider>
  );
}
