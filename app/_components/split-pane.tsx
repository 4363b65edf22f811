'use client';

import { useRef } from 'react';
import type { CSSProperties, KeyboardEvent, PointerEvent, ReactNode } from 'react';
import styles from './split-pane.module.css';
import { useStoredNumber } from './use-stored-number.ts';

/**
 * Two panes with a draggable, keyboard-operable separator (arrow keys, Home, End). The split is
 * remembered per `storageKey`. Narrow screens stack the panes and hide the separator (CSS).
 */
export function SplitPane({
  direction,
  first,
  second,
  initial,
  label,
  storageKey,
  className,
}: {
  /** `row`: side by side; `column`: one above the other. */
  direction: 'row' | 'column';
  first: ReactNode;
  second: ReactNode;
  /** Initial share of the first pane, 0–1. */
  initial: number;
  label: string;
  storageKey: string;
  className?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [stored, store] = useStoredNumber(storageKey, initial);
  const share = stored > 0 && stored < 1 ? stored : initial;
  const commit = (next: number) => store(Math.min(0.8, Math.max(0.2, next)));

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!event.currentTarget.hasPointerCapture(event.pointerId) || !container.current) return;
    const box = container.current.getBoundingClientRect();
    commit(
      direction === 'row'
        ? (event.clientX - box.left) / box.width
        : (event.clientY - box.top) / box.height,
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 0.1 : 0.02;
    const back = direction === 'row' ? 'ArrowLeft' : 'ArrowUp';
    const forward = direction === 'row' ? 'ArrowRight' : 'ArrowDown';
    const moves: Record<string, number> = {
      [back]: share - step,
      [forward]: share + step,
      Home: 0,
      End: 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      commit(moves[event.key]!);
    }
  };

  return (
    <div
      ref={container}
      className={`${styles.split} ${styles[direction]} ${className ?? ''}`}
      style={{ '--split': `${(share * 100).toFixed(2)}%` } as CSSProperties}
    >
      <div className={styles.first}>{first}</div>
      <div
        role="separator"
        tabIndex={0}
        aria-label={label}
        aria-orientation={direction === 'row' ? 'vertical' : 'horizontal'}
        aria-valuemin={20}
        aria-valuemax={80}
        aria-valuenow={Math.round(share * 100)}
        className={styles.separator}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onKeyDown={onKeyDown}
      />
      <div className={styles.second}>{second}</div>
    </div>
  );
}
