'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { FocusEvent, KeyboardEvent, RefObject } from 'react';
import type { Row } from '../../../lib/client/wire/layout.ts';
import { keyTarget } from '../../../lib/client/wire/navigation.ts';
import { scrollToShow } from '../../../lib/client/wire/viewport.ts';
import type { RowEvents } from './packet-arrow.tsx';

/** The diagram's pointer and keyboard state: which row is hovered, which has the focus. */
export interface DiagramFocus {
  hover: number | null;
  focused: number | null;
  /** Handlers every interactive row gets. */
  events: RowEvents;
  onKeyDown: (event: KeyboardEvent<SVGSVGElement>) => void;
  onBlur: (event: FocusEvent<SVGSVGElement>) => void;
  leave: () => void;
}

/**
 * Hover and focus over a windowed diagram. Arrow keys, Page keys, Home and End move the focus
 * row by row, scrolling it into view first; the row gets the DOM focus once it is rendered.
 * Enter or Space opens or closes a burst.
 */
export function useDiagramFocus(
  box: RefObject<HTMLDivElement | null>,
  rows: readonly Row[],
  offsets: Float64Array,
  rowsHeight: number,
  toggle: (burst: number) => void,
): DiagramFocus {
  const [hover, setHover] = useState<number | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  const pending = useRef<number | null>(null);

  const moveFocus = useCallback(
    (index: number) => {
      pending.current = index;
      setFocused(index);
      const scroll = scrollToShow(offsets, index, box.current?.scrollTop ?? 0, rowsHeight);
      if (scroll !== null) box.current?.scrollTo({ top: scroll });
    },
    [box, offsets, rowsHeight],
  );

  // Focus the row the keyboard moved to once it is rendered (it may have just scrolled in).
  useEffect(() => {
    const index = pending.current;
    if (index === null) return;
    const element = box.current?.querySelector<SVGGElement>(`[data-row="${index}"]`);
    if (element) {
      element.focus({ preventScroll: true });
      pending.current = null;
    }
  });

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    // A row still scrolling in counts as focused, so keys pressed quickly add up.
    const current = pending.current ?? rowIndexOf(event.target);
    if (current === null) return;
    const target = keyTarget(rows, current, event.key);
    const row = rows[current];
    if (target !== null) {
      event.preventDefault();
      moveFocus(target);
    } else if ((event.key === 'Enter' || event.key === ' ') && row?.kind === 'burst') {
      event.preventDefault();
      toggle(row.id);
    }
  };

  return {
    hover,
    focused,
    events: {
      onFocus: (event) => setFocused(rowIndexOf(event.currentTarget)),
      onPointerEnter: (event) => setHover(rowIndexOf(event.currentTarget)),
      onPointerLeave: () => setHover(null),
    },
    onKeyDown,
    onBlur: (event) => {
      if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocused(null);
    },
    leave: () => setHover(null),
  };
}

function rowIndexOf(target: EventTarget | null): number | null {
  const row = (target as Element | null)?.closest?.('[data-row]');
  return row ? Number(row.getAttribute('data-row')) : null;
}
