/**
 * `npm run bench:classroom`: 40 learners of one class press Run together with the instructor's
 * dashboard open, against the real sandbox, and the same burst without a class. Prints Run →
 * first output (p50, p95) for both, and how long after a run's checks reach the learner its cell
 * reaches the dashboard (p50, p95, max). It asserts nothing; figures go to docs/benchmarks.md.
 *
 *   npm run bench:classroom -- [--learners 40] [--rounds 4] [--read-seconds 5]
 *
 * The app side is the real code without Next.js around it: the app's own route handlers for the
 * internal endpoints (recording runs, single-use tokens) and the dashboard's event stream (SSE),
 * served by a small node:http adapter over a fresh SQLite database, with the in-process
 * run-event bus. The sandbox server is started here with a shared master secret and posts each
 * joined learner's run to that adapter exactly as it would to the app.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { POST as createClassRoute } from '../app/api/teach/classes/route.ts';
import { POST as signUpRoute } from '../app/api/teach/sign-up/route.ts';
import { readLessonFiles } from '../lib/lessons/load-definition.ts';
import { createAuthContext, setAuthContext } from '../lib/server/auth/context.ts';
import { Browser, location } from '../lib/server/auth/test-support.ts';
import { announcing, setAppRunEventBus } from '../lib/server/classroom/app-bus.ts';
import { handleClassEvents } from '../lib/server/classroom/routes.ts';
import { memoryRunEventBus } from '../lib/server/classroom/run-events.ts';
import { createLearner, openDatabase } from '../lib/server/db/index.ts';
import { databaseRecorder } from '../lib/server/results/app-context.ts';
import { handleRecordRun, handleTokenUse } from '../lib/server/results/internal-routes.ts';
import { issueRunToken } from '../lib/server/run-token.ts';
import { deriveSecrets } from '../lib/server/secrets.ts';
import { newRunId, ProtocolClient } from '../sandbox-server/transport/client.ts';
import { launchServer } from '../sandbox-server/transport/launch.ts';

const { values: args } = parseArgs({
  options: {
    learners: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '4' },
    'read-seconds': { type: 'string', default: '5' },
  },
});
const LEARNERS = Number(args.learners);
const ROUNDS = Number(args.rounds);
const READ_SECONDS = Number(args['read-seconds']);
const LESSON = 'tcp-client';
const ORIGIN = 'http://localhost:3000';

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(0)} ms` : 'n/a');

/** Serves web-standard handlers over node:http (what Next.js does for route handlers). */
function adapter(route: (request: Request) => Promise<Response>) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers))
      if (typeof value === 'string') headers.set(key, value);
    const body = ['GET', 'HEAD'].includes(req.method!) ? undefined : Buffer.concat(chunks);
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      body,
      signal: abort.signal,
    });
    const response = await route(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      res.write(value);
    }
    res.end();
  };
}

interface Classroom {
  db: Awaited<ReturnType<typeof openDatabase>>;
  classId: string;
  learners: string[];
  instructor: Browser;
  appUrl: string;
  master: string;
  close(): Promise<void>;
}

/** A fresh database with one instructor, one class of LEARNERS learners, and the app's routes. */
async function classroom(): Promise<Classroom> {
  const master = randomBytes(32).toString('base64url');
  const secrets = deriveSecrets(master);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'handshake-bench-classroom-'));
  const db = await openDatabase({ dataDir });
  setAuthContext(
    createAuthContext({
      db: db.db,
      engine: db.engine,
      authSecret: secrets.authSecret,
      settings: { allowedOrigins: [ORIGIN], trustProxy: false, signup: 'first' },
    }),
  );
  setAppRunEventBus(memoryRunEventBus());
  const instructor = new Browser();
  await instructor.post(signUpRoute, '/api/teach/sign-up', {
    name: 'Bench',
    email: 'bench@example.org',
    password: 'bench password!',
    lang: 'en',
  });
  const created = await instructor.post(createClassRoute, '/api/teach/classes', {
    name: 'Bench class',
    lang: 'en',
  });
  const classId = location(created).pathname.split('/').pop()!;
  const learners: string[] = [];
  for (let i = 0; i < LEARNERS; i++) {
    const learner = await createLearner(db.db, { classId, nickname: `learner ${i + 1}` });
    if (typeof learner === 'string') throw new Error(`learner ${i}: ${learner}`);
    learners.push(learner.id);
  }
  const deps = {
    secret: secrets.internalSecret,
    recorder: announcing(databaseRecorder(async () => db.db)),
  };
  const server = createServer(
    adapter(async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname === '/api/internal/runs') return handleRecordRun(request, deps);
      if (pathname === '/api/internal/token-uses') return handleTokenUse(request, deps);
      const events = /^\/api\/teach\/classes\/([^/]+)\/events$/.exec(pathname);
      if (events) return handleClassEvents(request, events[1]!);
      return new Response('not found', { status: 404 });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db,
    classId,
    learners,
    instructor,
    appUrl,
    master,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The dashboard: the event stream, noting when each learner's cell arrives. */
async function openDashboard(room: Classroom, arrivals: Map<string, number>) {
  const abort = new AbortController();
  const response = await fetch(`${room.appUrl}/api/teach/classes/${room.classId}/events`, {
    headers: { cookie: room.instructor.cookieHeader(), origin: ORIGIN },
    signal: abort.signal,
  });
  if (response.status !== 200) throw new Error(`dashboard stream: ${response.status}`);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      const at = performance.now();
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!block.includes('event: cell')) continue;
        const data = JSON.parse(block.split('\ndata: ')[1]!) as { learner: { id: string } };
        arrivals.set(data.learner.id, at);
      }
    }
  })();
  return () => abort.abort();
}

interface BurstResult {
  firstOutput: number[];
  checksAt: Map<string, number>;
  failures: number;
}

/** LEARNERS clients open the lesson, wait READ_SECONDS, and press Run at once. */
async function burst(url: string, tokens: Array<{ learnerId: string; token: string }> | null) {
  const clients = await Promise.all(
    Array.from({ length: LEARNERS }, () =>
      ProtocolClient.connect(url, { origin: ORIGIN, timeoutMs: 90_000 }),
    ),
  );
  clients.forEach((client, i) => {
    if (tokens) client.send({ type: 'auth', token: tokens[i]!.token });
    client.send({ type: 'viewing', lesson: LESSON });
  });
  await new Promise((resolve) => setTimeout(resolve, READ_SECONDS * 1000));
  const files = readLessonFiles('content', LESSON, 'solution');
  const result: BurstResult = { firstOutput: [], checksAt: new Map(), failures: 0 };
  await Promise.all(
    clients.map(async (client, i) => {
      const runId = newRunId('bench');
      const sentAt = performance.now();
      client.send({ type: 'run', runId, lesson: LESSON, files });
      try {
        const first = await client.next(
          'output',
          (m) => m.runId === runId && m.process === 'client.py',
        );
        result.firstOutput.push(first.receivedAt - sentAt);
        const checks = await client.next('checks', (m) => m.runId === runId);
        if (tokens) result.checksAt.set(tokens[i]!.learnerId, checks.receivedAt);
        await client.next('run-finished', (m) => m.runId === runId);
      } catch {
        result.failures++;
      }
    }),
  );
  for (const client of clients) client.close();
  return result;
}

/** One burst of the class's learners, with run tokens, while the dashboard's stream is open. */
async function classBurst(room: Classroom, url: string, key: Uint8Array) {
  const arrivals = new Map<string, number>();
  const close = await openDashboard(room, arrivals);
  const tokens = await Promise.all(
    room.learners.map(async (learnerId) => ({
      learnerId,
      token: (await issueRunToken(key, { learnerId, classId: room.classId })).token,
    })),
  );
  const joined = await burst(url, tokens);
  // The front posts after the checks: give the last posts a few seconds to arrive.
  const deadline = performance.now() + 10_000;
  while (arrivals.size < joined.checksAt.size && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  close();
  const toDashboard: number[] = [];
  let missing = 0;
  for (const [learner, checksAt] of joined.checksAt) {
    const at = arrivals.get(learner);
    if (at === undefined) missing++;
    else toDashboard.push(at - checksAt);
  }
  return { firstOutput: joined.firstOutput, failures: joined.failures, toDashboard, missing };
}

async function main(): Promise<void> {
  const room = await classroom();
  const server = await launchServer(
    {
      HANDSHAKE_SECRET: room.master,
      HANDSHAKE_APP_URL: room.appUrl,
      HANDSHAKE_ALLOWED_ORIGINS: ORIGIN,
    },
    60_000,
  );
  const key = deriveSecrets(room.master).runTokenKey;
  const plain: number[] = [];
  const inClass: number[] = [];
  const toDashboard: number[] = [];
  let failures = 0;
  let missing = 0;
  try {
    await burst(server.url, null); // warm-up: first sandboxes of the lesson
    // Alternating which goes first, so neither always gets the sandboxes the other warmed.
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [false, true] : [true, false];
      for (const withClass of order) {
        if (!withClass) {
          const anonymous = await burst(server.url, null);
          plain.push(...anonymous.firstOutput);
          failures += anonymous.failures;
          continue;
        }
        const shown = await classBurst(room, server.url, key);
        inClass.push(...shown.firstOutput);
        toDashboard.push(...shown.toDashboard);
        failures += shown.failures;
        missing += shown.missing;
      }
    }
  } finally {
    await server.stop();
    await room.close();
  }
  const p50 = (values: number[]) => percentile(values, 50);
  console.log(
    `\n${LEARNERS} learners × ${ROUNDS} rounds, lesson ${LESSON}, ${os.cpus().length} cores`,
  );
  console.log(
    `Run → first output, no class:   p50 ${ms(p50(plain))}, p95 ${ms(percentile(plain, 95))}`,
  );
  console.log(
    `Run → first output, in a class: p50 ${ms(p50(inClass))}, p95 ${ms(percentile(inClass, 95))}`,
  );
  console.log(`  p50 ratio in class / no class: ${(p50(inClass) / p50(plain)).toFixed(3)}`);
  console.log(
    `checks → dashboard cell: p50 ${ms(p50(toDashboard))}, p95 ${ms(percentile(toDashboard, 95))}, max ${ms(Math.max(...toDashboard))}`,
  );
  console.log(`failed runs: ${failures}; runs never shown on the dashboard: ${missing}`);
}

await main();
