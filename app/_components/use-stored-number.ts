'use client';

import { useCallback, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
// Values set in this page, so they apply even where localStorage is unavailable.
const memory = new Map<string, number>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function read(key: string): number | null {
  const remembered = memory.get(key);
  if (remembered !== undefined) return remembered;
  try {
    const value = localStorage.getItem(key);
    return value === null ? null : Number(value);
  } catch {
    return null;
  }
}

/** A number remembered in localStorage; the server (and the first paint) see `fallback`. */
export function useStoredNumber(key: string, fallback: number): [number, (value: number) => void] {
  const value = useSyncExternalStore(
    subscribe,
    () => read(key) ?? fallback,
    () => fallback,
  );
  const set = useCallback(
    (next: number) => {
      memory.set(key, next);
      try {
        localStorage.setItem(key, String(next));
      } catch {
        // Not remembered across visits; still applied for this page.
      }
      listeners.forEach((listener) => listener());
    },
    [key],
  );
  return [Number.isFinite(value) ? value : fallback, set];
}
