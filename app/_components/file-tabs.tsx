'use client';

import { useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { useUiText } from './ui-text-context.tsx';
import styles from './workbench.module.css';

/** The lesson's files as tabs (arrow keys move between them, as the ARIA tabs pattern asks). */
export function FileTabs({
  names,
  active,
  modified,
  panelId,
  onSelect,
}: {
  names: string[];
  active: string;
  modified: ReadonlySet<string>;
  panelId: string;
  onSelect: (name: string) => void;
}) {
  const t = useUiText();
  const list = useRef<HTMLDivElement>(null);

  const onKeyDown = (event: KeyboardEvent) => {
    const index = names.indexOf(active);
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: names.length - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = names[(moves[event.key]! + names.length) % names.length]!;
    onSelect(next);
    list.current?.querySelector<HTMLElement>(`[data-file="${CSS.escape(next)}"]`)?.focus();
  };

  return (
    <div
      ref={list}
      role="tablist"
      aria-label={t.files}
      className={styles.tabs}
      onKeyDown={onKeyDown}
    >
      {names.map((name) => (
        <button
          key={name}
          type="button"
          role="tab"
          data-file={name}
          aria-selected={name === active}
          aria-controls={panelId}
          tabIndex={name === active ? 0 : -1}
          className={styles.tab}
          onClick={() => onSelect(name)}
        >
          {name}
          {modified.has(name) && (
            <span className={styles.modified} title={t.modified}>
              <span className="visually-hidden">({t.modified})</span>
            </span>
          )}
        </button>
      ))}
    </div>
  );
}
