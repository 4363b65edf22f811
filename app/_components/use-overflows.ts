'use client';

import { useCallback, useState } from 'react';
import type { HTMLAttributes, RefCallback } from 'react';

/**
 * Whether an element's content is larger than its box, so it scrolls; re-measured when the box
 * resizes, when its content changes and once web fonts have loaded. Put the ref on the element.
 */
export function useOverflows<T extends HTMLElement>(): [RefCallback<T>, boolean] {
  const [overflows, setOverflows] = useState(false);
  const ref = useCallback((element: T | null) => {
    if (!element) return;
    let live = true;
    const measure = () => {
      if (live)
        setOverflows(
          element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight,
        );
    };
    const resizes = new ResizeObserver(measure); // also reports once right away
    resizes.observe(element);
    const mutations = new MutationObserver(measure);
    mutations.observe(element, { childList: true, subtree: true, characterData: true });
    void document.fonts.ready.then(measure);
    return () => {
      live = false;
      resizes.disconnect();
      mutations.disconnect();
    };
  }, []);
  return [ref, overflows];
}

/**
 * The attributes that let a keyboard reach a box that scrolls (WCAG 2.1.1): a tab stop, named as a
 * region so a screen reader says what it is. None while the content fits: no empty tab stops.
 */
export function scrollRegion(
  overflows: boolean,
  label: string,
): Pick<HTMLAttributes<HTMLElement>, 'tabIndex' | 'role' | 'aria-label'> {
  return overflows ? { tabIndex: 0, role: 'region', 'aria-label': label } : {};
}
