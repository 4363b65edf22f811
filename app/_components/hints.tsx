'use client';

import { Children, isValidElement, useEffect, useRef } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { revealHint } from '../../lib/client/lesson-progress.ts';
import { useLessonSession } from './lesson-session.tsx';
import { useUiText } from './ui-text-context.tsx';
import styles from './mdx-palette.module.css';

type HintElement = ReactElement<{ title?: string; children?: ReactNode }>;

/**
 * `<Hints id?><Hint>…</Hint><Hint>…</Hint><Hint>…</Hint></Hints>`: graduated hints, shown one
 * level at a time ("Show hint 1 of 3", then the next); the last should come close to the answer.
 * Which levels are open is remembered per lesson. Props: `id` (string, optional: names the group
 * when a lesson has several; by default the hints' own text does). Children: `<Hint>` elements.
 */
export function Hints({ id, children }: { id?: string; children: ReactNode }) {
  const t = useUiText();
  const { progress, update } = useLessonSession();
  const levels = Children.toArray(children).filter(isValidElement) as HintElement[];
  const group = id ?? `text:${hash(textOf(children))}`;
  const open = Math.min(progress.hints[group] ?? 0, levels.length);
  const revealed = useRef(false);
  const newest = useRef<HTMLLIElement>(null);

  // After the learner asks for a level, focus moves to it so a screen reader reads it out.
  useEffect(() => {
    if (revealed.current) newest.current?.focus();
    revealed.current = false;
  }, [open]);

  const reveal = () => {
    revealed.current = true;
    update((p) => revealHint(p, group, levels.length));
  };

  return (
    <section className={styles.hints} aria-label={t.hints.label} data-testid="hints">
      {open > 0 && (
        <ol className={styles.hintLevels}>
          {levels.slice(0, open).map((level, index) => (
            <li
              key={index}
              ref={index === open - 1 ? newest : undefined}
              tabIndex={-1}
              className={styles.hintLevel}
              data-level={index + 1}
            >
              <p className={styles.hintLevelTitle}>
                {level.props.title ?? t.hints.level(index + 1, levels.length)}
                {index === levels.length - 1 && levels.length > 1 && (
                  <span className={styles.hintLast}> · {t.hints.last}</span>
                )}
              </p>
              <div className={styles.hintLevelBody}>{level.props.children}</div>
            </li>
          ))}
        </ol>
      )}
      {open < levels.length ? (
        <button type="button" className="btn btn-ghost" onClick={reveal}>
          {t.hints.show(open + 1, levels.length)}
        </button>
      ) : (
        <p className={styles.hintsDone}>{t.hints.allShown}</p>
      )}
    </section>
  );
}

/** The plain text of React children, to tell hint groups apart without an id. */
function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return '';
}

/** A short, stable FNV-1a hash of a string. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
