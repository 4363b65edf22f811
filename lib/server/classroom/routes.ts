/**
 * The classroom's route handlers: the dashboard's event stream (SSE), a cell's detail, the CSV
 * export (instructors of the class only: owner or co), and a joined learner's one-time import
 * of their browser progress. Each checks who asks before it reads anything.
 */
import { listLessons } from '../../lessons/catalog.ts';
import { authContext } from '../auth/context.ts';
import {
  classInstructorFromRequest,
  instructorFromRequest,
  learnerFromRequest,
  sameOrigin,
} from '../auth/request.ts';
import { classById, progressCsvRows } from '../db/index.ts';
import { appRunEventBus } from './app-bus.ts';
import { csvDisposition, progressCsv } from './csv.ts';
import { cellDelta, cellDetail, dashboardSnapshot } from './dashboard-data.ts';
import { importProgress, MAX_IMPORT_BYTES, ProgressImport } from './import.ts';
import type { RunEvent, RunEventBus } from './run-events.ts';

/** How often the stream sends a comment, so proxies and browsers keep it open. */
export const HEARTBEAT_MS = 15_000;
/** How long a browser waits before reconnecting a dropped stream. */
const RETRY_MS = 2000;

function refuse(status: 401 | 403 | 404 | 400 | 413, error: string): Response {
  return Response.json({ error }, { status, headers: { 'cache-control': 'no-store' } });
}

/** 401 for nobody signed in, 403 for an instructor who does not teach this class, else null. */
async function refuseUnlessTeaching(request: Request, classId: string): Promise<Response | null> {
  if (await classInstructorFromRequest(request, classId)) return null;
  return (await instructorFromRequest(request))
    ? refuse(403, 'not an instructor of this class')
    : refuse(401, 'sign in as an instructor of this class');
}

export interface EventStreamOptions {
  heartbeatMs?: number;
  bus?: RunEventBus;
}

/**
 * GET …/classes/[id]/events: a snapshot on connect (and on every reconnect: the browser's
 * Last-Event-ID is not needed, a fresh snapshot is always whole), then one `cell` event per
 * recorded run of the class, and a heartbeat comment every 15 s.
 */
export async function handleClassEvents(
  request: Request,
  classId: string,
  options: EventStreamOptions = {},
): Promise<Response> {
  const refused = await refuseUnlessTeaching(request, classId);
  if (refused) return refused;
  const { db } = await authContext();
  const bus = options.bus ?? (await appRunEventBus());
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let id = 0;
      let open = true;
      const write = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const send = (event: string, data: unknown) =>
        write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      // One read at a time, in arrival order, so a slow read never overtakes a newer one.
      let queue = Promise.resolve();
      const onEvent = (event: RunEvent) => {
        queue = queue
          .then(async () => {
            if (event.kind === 'resync')
              return send('snapshot', await dashboardSnapshot(db, classId));
            const delta = await cellDelta(db, classId, event.learnerId, event.lessonId);
            if (delta) send('cell', delta);
          })
          .catch((error: unknown) => console.error(`handshake: dashboard event: ${String(error)}`));
      };
      // Subscribe before the snapshot: a run recorded in between arrives as a (repeated) delta.
      const unsubscribe = await bus.subscribe(classId, onEvent);
      const heartbeat = setInterval(
        () => write(': heartbeat\n\n'),
        options.heartbeatMs ?? HEARTBEAT_MS,
      );
      stop = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      request.signal.addEventListener('abort', stop);
      write(`retry: ${RETRY_MS}\n\n`);
      queue = queue.then(async () => send('snapshot', await dashboardSnapshot(db, classId)));
      await queue;
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}

/** GET …/classes/[id]/learners/[learner]/lessons/[lesson]: one cell's detail as JSON. */
export async function handleCellDetail(
  request: Request,
  ids: { classId: string; learnerId: string; lessonId: string },
): Promise<Response> {
  const refused = await refuseUnlessTeaching(request, ids.classId);
  if (refused) return refused;
  const detail = await cellDetail(
    (await authContext()).db,
    ids.classId,
    ids.learnerId,
    ids.lessonId,
  );
  if (!detail) return refuse(404, 'no such learner in this class');
  return Response.json(detail, { headers: { 'cache-control': 'no-store' } });
}

/** Lesson titles by id, in one language (English when the lesson has none in it). */
export async function lessonTitles(lang: 'en' | 'zh' = 'en'): Promise<Map<string, string>> {
  return new Map(
    (await listLessons()).map((lesson) => [
      lesson.id,
      (lesson.text[lang] ?? lesson.text[lesson.languages[0]!])?.title ?? lesson.id,
    ]),
  );
}

/** GET …/classes/[id]/progress.csv: the class's progress, one row per learner × lesson. */
export async function handleProgressCsv(request: Request, classId: string): Promise<Response> {
  const refused = await refuseUnlessTeaching(request, classId);
  if (refused) return refused;
  const { db } = await authContext();
  const lang = new URL(request.url).searchParams.get('lang') === 'zh' ? 'zh' : 'en';
  const [klass, rows, titles] = await Promise.all([
    classById(db, classId),
    progressCsvRows(db, classId),
    lessonTitles(lang),
  ]);
  if (!klass) return refuse(404, 'no such class');
  // A byte-order mark, so spreadsheets read the UTF-8 nicknames as UTF-8.
  return new Response('\uFEFF' + progressCsv(rows, titles), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': csvDisposition(klass.name),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

/**
 * POST /api/progress/import: a joined learner's browser progress, brought in once (JSON body,
 * our own origin only). Answers the lesson ids it added; a repeat adds none.
 */
export async function handleProgressImport(request: Request): Promise<Response> {
  if (!(await sameOrigin(request))) return refuse(403, 'cross-origin request');
  const learner = await learnerFromRequest(request);
  if (!learner) return refuse(401, 'join a class first');
  if (learner.archived) return refuse(403, 'this class is archived');
  if (Number(request.headers.get('content-length') ?? '0') > MAX_IMPORT_BYTES)
    return refuse(413, 'import too large');
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) return refuse(413, 'import too large');
  let parsed;
  try {
    parsed = ProgressImport.safeParse(JSON.parse(text));
  } catch {
    return refuse(400, 'body is not JSON');
  }
  if (!parsed.success) return refuse(400, 'not a progress import');
  const known = new Set((await listLessons()).map((lesson) => lesson.id));
  const added = await importProgress((await authContext()).db, learner, parsed.data, known);
  return Response.json({ added }, { headers: { 'cache-control': 'no-store' } });
}
