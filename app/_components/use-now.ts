'use client';

import { useEffect, useState } from 'react';

/** `performance.now()`, refreshed every 100 ms while `ticking` (for live running times). */
export function useNow(ticking: boolean): number {
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}
