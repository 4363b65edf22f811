'use client';

import dynamic from 'next/dynamic';
import { useEffect, useRef, useState } from 'react';
import type { SourceFile } from '../../lib/protocol.ts';
import { useUiText } from './ui-text-context.tsx';
import styles from './solution-diff.module.css';

const SolutionDiffEditor = dynamic(() => import('./solution-diff-editor.tsx'), { ssr: false });

/**
 * "Compare with solution": the learner's current files beside the lesson's solution, one file
 * tab at a time, in Monaco's diff editor. Nothing here writes to the learner's files; Escape or
 * the close button goes back to the editor.
 */
export function SolutionDiff({
  slug,
  yours,
  solution,
  initialFile,
  onClose,
}: {
  slug: string;
  yours: SourceFile[];
  solution: SourceFile[];
  initialFile: string;
  onClose: () => void;
}) {
  const t = useUiText();
  const names = [...new Set([...yours, ...solution].map((f) => f.name))];
  const [file, setFile] = useState(names.includes(initialFile) ? initialFile : names[0]!);
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => closeButton.current?.focus(), []);

  const textOf = (files: SourceFile[]) => files.find((f) => f.name === file)?.content ?? '';
  return (
    <section
      className={styles.diff}
      aria-label={t.compare.title}
      data-testid="solution-diff"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <div className={styles.bar}>
        <h2 className={styles.title}>{t.compare.title}</h2>
        <div role="group" aria-label={t.compare.files} className={styles.tabs}>
          {names.map((name) => (
            <button
              key={name}
              type="button"
              aria-pressed={name === file}
              className={styles.tab}
              onClick={() => setFile(name)}
            >
              {name}
            </button>
          ))}
        </div>
        <button ref={closeButton} type="button" className="btn" onClick={onClose}>
          {t.compare.close}
        </button>
      </div>
      <p className={styles.help}>{t.compare.help}</p>
      <div className={styles.sides} aria-hidden="true">
        <span>{t.compare.yours(file)}</span>
        <span>{t.compare.solution(file)}</span>
      </div>
      <div className={styles.editor}>
        <SolutionDiffEditor
          key={file}
          slug={slug}
          file={file}
          yours={textOf(yours)}
          solution={textOf(solution)}
          yoursLabel={t.compare.yours(file)}
          solutionLabel={t.compare.solution(file)}
          loading={t.compare.loading}
        />
      </div>
    </section>
  );
}
