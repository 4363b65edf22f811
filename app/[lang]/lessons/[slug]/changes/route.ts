/**
 * `/{lang}/lessons/{slug}/changes`, in `npm run dev` only: a server-sent event each time a file of
 * the lesson's folder is saved (prose, starter, solution, check.ts), so the open page refreshes
 * (dev-refresh.tsx). A production server answers 404: lessons do not change under it.
 */
import { watch } from 'node:fs';
import { defaultContentDir, findLessonFolder } from '../../../../../lib/lessons/folders.ts';

interface Params {
  params: Promise<{ lang: string; slug: string }>;
}

/** Editors save in bursts (write, rename, chmod): one event per burst. */
const SETTLE_MS = 150;

export const dynamic = 'force-dynamic';

/** Streams `change` events for the lesson folder until the page goes away. */
export async function GET(request: Request, { params }: Params): Promise<Response> {
  if (process.env.NODE_ENV !== 'development') return new Response('Not found\n', { status: 404 });
  const { slug } = await params;
  const folder = findLessonFolder(defaultContentDir(), slug);
  if (!folder) return new Response('No such lesson\n', { status: 404 });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let timer: NodeJS.Timeout | undefined;
      const watcher = watch(folder.dir, { recursive: true }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => controller.enqueue(encoder.encode('data: change\n\n')), SETTLE_MS);
      });
      controller.enqueue(encoder.encode(': watching\n\n'));
      request.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        watcher.close();
        controller.close();
      });
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    },
  });
}
