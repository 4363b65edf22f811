'use client';

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';

/** A scroll box's position and size, kept current (scroll events come at most once a frame). */
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
): { viewport: Viewport; onScroll: () => void } {
  const [viewport, setViewport] = useState<Viewport>({ top: 0, height: 400, width: 640 });
  const atEnd = useRef(follow);

  const measure = useCallback(() => {
    const box = ref.current;
    if (!box) return;
    setViewport((old) => {
      const next = { top: box.scrollTop, height: box.clientHeight, width: box.clientWidth };
      return old.top === next.top && old.height === next.height && old.width === next.width
        ? old
        : next;
    });
  }, [ref]);

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
