'use client';

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';

/**
 * A scroll box's position and size. `top` moves in steps of `quantum` pixels, so a windowed list
 * re-renders every few rows while scrolling rather than on every scroll event; its overscan must
 * cover a step.
 */
export interface Viewport {
  top: number;
  height: number;
  width: number;
}

/**
 * Tracks a scroll box for windowed rendering. With `follow`, the box stays scrolled to the end
 * as content grows (like a terminal) until the reader scrolls up, and again once they return.
 */
export function useViewport(
  ref: RefObject<HTMLDivElement | null>,
  contentHeight: number,
  follow: boolean,
  quantum = 1,
): { viewport: Viewport; onScroll: () => void } {
  const [viewport, setViewport] = useState<Viewport>({ top: 0, height: 400, width: 640 });
  const atEnd = useRef(follow);

  const measure = useCallback(() => {
    const box = ref.current;
    if (!box) return;
    setViewport((old) => {
      const top = Math.floor(box.scrollTop / quantum) * quantum;
      const next = { top, height: box.clientHeight, width: box.clientWidth };
      return old.top === next.top && old.height === next.height && old.width === next.width
        ? old
        : next;
    });
  }, [ref, quantum]);

  const onScroll = useCallback(() => {
    const box = ref.current;
    if (!box) return;
    atEnd.current = follow && box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
    measure();
  }, [follow, measure, ref]);

  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, [measure, ref]);

  useLayoutEffect(() => {
    const box = ref.current;
    if (box && atEnd.current && box.scrollHeight > box.clientHeight) {
      box.scrollTop = box.scrollHeight;
      measure();
    }
  }, [contentHeight, measure, ref]);

  return { viewport, onScroll };
}
