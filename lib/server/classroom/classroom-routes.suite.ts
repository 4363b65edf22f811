/**
 * The classroom routes on either engine: the dashboard's event stream, a cell's detail and the
 * CSV export answer only the class's instructors (owner or co), never another instructor, a
 * learner or an anonymous visitor; a run recorded through the real internal endpoint reaches
 * an open stream as a cell delta; a learner's import is bounded, idempotent and never a pass.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POST as join } from '../../../app/api/join/route.ts';
import { POST as recordRunRoute } from '../../../app/api/internal/runs/route.ts';
import { POST as importRoute } from '../../../app/api/progress/import/route.ts';
import { POST as createClass } from '../../../app/api/teach/classes/route.ts';
import { GET as cellRoute } from '../../../app/api/teach/classes/[id]/learners/[learner]/lessons/[lesson]/route.ts';
import { GET as csvRoute } from '../../../app/api/teach/classes/[id]/progress.csv/route.ts';
import { POST as signUp } from '../../../app/api/teach/sign-up/route.ts';
import type { CellDelta, DashboardSnapshot } from '../../classroom/dashboard-state.ts';
import { listLessons } from '../../lessons/catalog.ts';
import { learnerFromRequest } from '../auth/request.ts';
import {
  Browser,
  installTestContext,
  location,
  ORIGIN,
  type Opener,
} from '../auth/test-support.ts';
import { addInstructor, classById, progressOf } from '../db/index.ts';
import { setRunRecording } from '../results/app-context.ts';
import { INTERNAL_SECRET_HEADER, type RecordedRun } from '../results/schema.ts';
import { deriveSecrets } from '../secrets.ts';
import { setAppRunEventBus } from './app-bus.ts';
import { handleClassEvents } from './routes.ts';
import { memoryRunEventBus } from './run-events.ts';

const secrets = deriveSecrets('classroom-test-secret-classroom-test!');

/** A parsed server-sent event. */
interface Sse {
  event: string;
  id?: string;
  data?: unknown;
  comment?: string;
}

/** Reads a text/event-stream body event by event. */
export function sseReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return async function next(timeoutMs = 5000): Promise<Sse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: Sse = { event: 'message' };
        for (const line of block.split('\n')) {
          const [field, ...rest] = line.split(':');
          const value = rest.join(':').replace(/^ /, '');
          if (field === '') event.comment = value;
          else if (field === 'event') event.event = value;
          else if (field === 'id') event.id = value;
          else if (field === 'data') event.data = JSON.parse(value);
          else if (field === 'retry') event.event = 'retry';
        }
        return event;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no event in time');
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('no event in time')), left),
        ),
      ]);
      if (chunk.done) throw new Error('stream ended');
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  };
}

/** The suite, on the database `open` makes (SQLite in unit tests, PostgreSQL in integration). */
export function classroomRouteSuite(open: Opener): void {
  describe('classroom dashboard routes', () => {
    let context: Awaited<ReturnType<typeof installTestContext>>;
    let lessonIds: string[];

    beforeEach(async () => {
      context = await installTestContext('open', open);
      setRunRecording({ secrets });
      setAppRunEventBus(memoryRunEventBus());
      lessonIds = (await listLessons()).map((lesson) => lesson.id);
    });
    afterEach(async () => {
      setRunRecording({});
      setAppRunEventBus(undefined);
      await context.close();
    });

    async function instructor(name: string): Promise<Browser> {
      const browser = new Browser();
      await browser.post(signUp, '/api/teach/sign-up', {
        name,
        email: `${name.toLowerCase()}@example.org`,
        password: `${name} password!`,
        lang: 'en',
      });
      return browser;
    }

    async function newClass(owner: Browser, name = 'Networks 101'): Promise<string> {
      const response = await owner.post(createClass, '/api/teach/classes', { name, lang: 'en' });
      return location(response).pathname.split('/').pop()!;
    }

    async function learner(
      classId: string,
      nickname: string,
    ): Promise<{ browser: Browser; id: string }> {
      const browser = new Browser();
      const code = (await classById(context.db, classId))!.joinCode;
      await browser.post(join, '/api/join', { code, nickname, lang: 'en' });
      const me = await learnerFromRequest(browser.request('/'));
      return { browser, id: me!.id };
    }

    let runCounter = 0;
    /** Records a run through the real internal endpoint, as a sandbox front would. */
    async function recordRun(
      classId: string,
      learnerId: string,
      lessonId: string,
      outcome: RecordedRun['outcome'],
    ): Promise<void> {
      const finishedAt = new Date(Date.now() + runCounter * 1000).toISOString();
      const run: RecordedRun = {
        id: `run-${String(++runCounter).padStart(3, '0')}-${'x'.repeat(20)}`,
        learnerId,
        classId,
        lessonId,
        startedAt: finishedAt,
        finishedAt,
        durationMs: 120,
        outcome,
        checks: [{ id: 'echo', status: outcome === 'passed' ? 'pass' : 'fail', message: 'echo' }],
        code: [{ name: 'client.py', content: `print(${runCounter})` }],
        output: { client: `output ${runCounter}\n` },
      };
      const response = await recordRunRoute(
        new Request(`${ORIGIN}/api/internal/runs`, {
          method: 'POST',
          headers: {
            [INTERNAL_SECRET_HEADER]: secrets.internalSecret,
            'content-type': 'application/json',
          },
          body: JSON.stringify(run),
        }),
      );
      expect(await response.json()).toEqual({ result: 'recorded' });
    }

    function openStream(browser: Browser, classId: string, heartbeatMs?: number) {
      const abort = new AbortController();
      const request = new Request(browser.request(`/api/teach/classes/${classId}/events`), {
        signal: abort.signal,
      });
      return { response: handleClassEvents(request, classId, { heartbeatMs }), abort };
    }

    const cellGet = (browser: Browser, classId: string, learnerId: string, lessonId: string) =>
      cellRoute(
        browser.request(`/api/teach/classes/${classId}/learners/${learnerId}/lessons/${lessonId}`),
        {
          params: Promise.resolve({ id: classId, learner: learnerId, lesson: lessonId }),
        },
      );
    const csvGet = (browser: Browser, classId: string) =>
      csvRoute(browser.request(`/api/teach/classes/${classId}/progress.csv`), {
        params: Promise.resolve({ id: classId }),
      });

    it('streams a snapshot, then a cell delta for a run recorded through the internal endpoint', async () => {
      const ada = await instructor('Ada');
      const classId = await newClass(ada);
      const kim = await learner(classId, 'Kim');
      const { response, abort } = openStream(ada, classId);
      const stream = await response;
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(stream.headers.get('cache-control')).toBe('no-cache, no-transform');
      expect(stream.headers.get('x-accel-buffering')).toBe('no');
      const next = sseReader(stream);
      expect((await next()).event).toBe('retry');
      const snapshot = await next();
      expect(snapshot.event).toBe('snapshot');
      const state = snapshot.data as DashboardSnapshot;
      expect(state.lessonIds).toEqual(lessonIds);
      expect(state.learners.map((l) => [l.nickname, l.cells.every((c) => c === null)])).toEqual([
        ['Kim', true],
      ]);

      await recordRun(classId, kim.id, lessonIds[0]!, 'failed');
      const delta = await next();
      expect(delta.event).toBe('cell');
      expect(delta.data as CellDelta).toMatchObject({
        lessonId: lessonIds[0],
        learner: { id: kim.id, nickname: 'Kim' },
        cell: { status: 'started', attempts: 1, failedSincePass: 1, firstPassedAt: null },
      });
      await recordRun(classId, kim.id, lessonIds[0]!, 'passed');
      const passed = (await next()).data as CellDelta;
      expect(passed.cell).toMatchObject({ status: 'passed', attempts: 2, failedSincePass: 0 });
      expect(passed.learner.lastPassAt).toBe(passed.cell.lastRunAt);
      abort.abort();
    });

    it('sends heartbeats, ignores other classes, and gives a fresh snapshot on reconnect', async () => {
      const ada = await instructor('Ada');
      const classId = await newClass(ada);
      const otherClass = await newClass(ada, 'Other');
      const stranger = await learner(otherClass, 'Zed');
      const first = openStream(ada, classId, 50);
      const next = sseReader(await first.response);
      await next(); // retry
      await next(); // snapshot
      await recordRun(otherClass, stranger.id, lessonIds[0]!, 'passed');
      expect(await next()).toMatchObject({ comment: 'heartbeat' });
      first.abort.abort();
      const kim = await learner(classId, 'Kim');
      await recordRun(classId, kim.id, lessonIds[1]!, 'failed');
      const again = openStream(ada, classId);
      const reconnect = sseReader(await again.response);
      await reconnect();
      const snapshot = (await reconnect()).data as DashboardSnapshot;
      expect(snapshot.learners[0]!.cells[1]).toMatchObject({ status: 'started', attempts: 1 });
      again.abort.abort();
    });

    it('answers only instructors of the class: a co-instructor yes; another instructor, a learner, nobody no', async () => {
      const ada = await instructor('Ada');
      const classId = await newClass(ada);
      const grace = await instructor('Grace');
      const bob = await instructor('Bob');
      const graceId = (
        await context.db
          .selectFrom('user')
          .select('id')
          .where('email', '=', 'grace@example.org')
          .executeTakeFirstOrThrow()
      ).id;
      await addInstructor(context.db, classId, graceId);
      const kim = await learner(classId, 'Kim');
      await recordRun(classId, kim.id, lessonIds[0]!, 'failed');

      const co = await openStream(grace, classId).response;
      expect(co.status).toBe(200);
      await co.body?.cancel();
      expect((await cellGet(grace, classId, kim.id, lessonIds[0]!)).status).toBe(200);
      expect((await csvGet(grace, classId)).status).toBe(200);

      const refused = [
        [bob, 403],
        [kim.browser, 401],
        [new Browser(), 401],
      ] as const;
      for (const [who, status] of refused) {
        expect((await openStream(who, classId).response).status).toBe(status);
        const detail = await cellGet(who, classId, kim.id, lessonIds[0]!);
        expect(detail.status).toBe(status);
        expect(await detail.text()).not.toContain('print(');
        const csv = await csvGet(who, classId);
        expect(csv.status).toBe(status);
        expect(await csv.text()).not.toContain('Kim');
      }
      // A learner of another class, asked for through this class: not found.
      const otherClass = await newClass(ada, 'Other');
      const zed = await learner(otherClass, 'Zed');
      expect((await cellGet(ada, classId, zed.id, lessonIds[0]!)).status).toBe(404);
    });

    it('shows a cell: latest code, last output and checks, attempts latest first', async () => {
      const ada = await instructor('Ada');
      const classId = await newClass(ada);
      const kim = await learner(classId, 'Kim');
      await recordRun(classId, kim.id, lessonIds[0]!, 'failed');
      await recordRun(classId, kim.id, lessonIds[0]!, 'passed');
      const detail = await (await cellGet(ada, classId, kim.id, lessonIds[0]!)).json();
      expect(detail.learner).toEqual({ id: kim.id, nickname: 'Kim' });
      expect(detail.code).toEqual([{ name: 'client.py', content: `print(${runCounter})` }]);
      expect(detail.lastRun).toMatchObject({
        outcome: 'passed',
        checks: [{ id: 'echo', status: 'pass' }],
        output: { client: `output ${runCounter}\n` },
      });
      expect(detail.attempts.map((a: { outcome: string }) => a.outcome)).toEqual([
        'passed',
        'failed',
      ]);
      expect(detail.attempts[0]).toMatchObject({ passedChecks: 1, totalChecks: 1 });
    });

    it('exports CSV: one row per learner × lesson, formulas neutralized, a safe file name', async () => {
      const ada = await instructor('Ada');
      const classId = await newClass(ada, 'Net "101"; /etc/passwd\r\n');
      await learner(classId, '=HYPERLINK("http://x")');
      const kim = await learner(classId, '@Kim');
      await recordRun(classId, kim.id, lessonIds[0]!, 'failed');
      await recordRun(classId, kim.id, lessonIds[0]!, 'passed');
      const response = await csvGet(ada, classId);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const disposition = response.headers.get('content-disposition')!;
      expect(disposition).toMatch(
        /^attachment; filename="Net-101-etc-passwd-progress.csv"; filename\*=UTF-8''/,
      );
      expect(disposition).not.toMatch(/[\r\n]/);
      const text = (await response.text()).replace(/^\uFEFF/, '');
      const lines = text.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        '"nickname","lesson_id","lesson_title","status","attempts","failed_since_pass","first_passed_at","last_run_at"',
      );
      expect(lines).toHaveLength(1 + 2 * lessonIds.length);
      const kimFirst = lines.find((line) => line.startsWith(`"'@Kim","${lessonIds[0]}"`))!;
      expect(kimFirst).toMatch(/,"passed","2","0","\d{4}-[^"]+Z","\d{4}-[^"]+Z"$/);
      expect(lines.filter((line) => line.startsWith('"\'=HYPERLINK(""http://x"")"'))).toHaveLength(
        lessonIds.length,
      );
      expect(lines.filter((line) => line.includes('"not started","0","0","",""'))).toHaveLength(
        2 * lessonIds.length - 1,
      );
      expect(text).not.toMatch(/(^|,)"[=+@-]/m);
    });

    it('imports browser progress once: known lessons only, started never passed', async () => {
      const ada = await instructor('Ada');
      const classId = await newClass(ada);
      const kim = await learner(classId, 'Kim');
      await recordRun(classId, kim.id, lessonIds[1]!, 'passed');
      const body = {
        lessons: [
          { lessonId: lessonIds[0]!, files: [{ name: 'client.py', content: 'print("mine")' }] },
          { lessonId: lessonIds[1]!, files: [{ name: 'client.py', content: 'overwrite?' }] },
          { lessonId: 'no-such-lesson', files: [] },
        ],
      };
      const post = (browser: Browser, origin = ORIGIN, payload: unknown = body) =>
        importRoute(
          new Request(`${ORIGIN}/api/progress/import`, {
            method: 'POST',
            headers: { cookie: browser.cookieHeader(), origin, 'content-type': 'application/json' },
            body: JSON.stringify(payload),
          }),
        );
      expect(await (await post(kim.browser)).json()).toEqual({ added: [lessonIds[0]] });
      expect(await (await post(kim.browser)).json()).toEqual({ added: [] });
      const progress = await progressOf(context.db, kim.id);
      const byLesson = new Map(progress.map((p) => [p.lessonId, p]));
      expect(byLesson.get(lessonIds[0]!)).toMatchObject({ status: 'started', attempts: 0 });
      expect(byLesson.get(lessonIds[0]!)!.lastCode[0]!.content).toBe('print("mine")');
      expect(byLesson.get(lessonIds[1]!)).toMatchObject({ status: 'passed', attempts: 1 });
      expect(byLesson.has('no-such-lesson')).toBe(false);

      expect((await post(new Browser())).status).toBe(401);
      expect((await post(kim.browser, 'https://evil.example')).status).toBe(403);
      const passedClaim = { lessons: [{ lessonId: lessonIds[2]!, files: [], status: 'passed' }] };
      await post(kim.browser, ORIGIN, passedClaim);
      const third = (await progressOf(context.db, kim.id)).find((p) => p.lessonId === lessonIds[2]);
      expect(third?.status).toBe('started');
      const tooMany = { lessons: Array.from({ length: 201 }, () => body.lessons[0]) };
      expect((await post(kim.browser, ORIGIN, tooMany)).status).toBe(400);
      // A run after an import counts as the first attempt.
      await recordRun(classId, kim.id, lessonIds[0]!, 'failed');
      const after = (await progressOf(context.db, kim.id)).find((p) => p.lessonId === lessonIds[0]);
      expect(after).toMatchObject({ status: 'started', attempts: 1, failedSincePass: 1 });
    });
  });
}
