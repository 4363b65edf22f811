'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * In `npm run dev`: re-renders the lesson page from the server when a file of its folder is
 * saved (the `changes` event stream), keeping the learner's files and the page's state.
 * Renders nothing, and does nothing in a production build.
 */
export function DevRefresh({ lang, slug }: { lang: string; slug: string }) {
  const router = useRouter();
  useEffect(() => {
    if (process.env.NODE_ENV !== 'development') return;
    const events = new EventSource(`/${lang}/lessons/${slug}/changes`);
    events.onmessage = () => router.refresh();
    return () => events.close();
  }, [lang, slug, router]);
  return null;
}
