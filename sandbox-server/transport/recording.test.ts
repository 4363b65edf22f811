/**
 * Run tokens and recorded runs through real sockets: the WebSocket front (fake engine) with its
 * real RunAuth, ResultPoster and app client, posting over HTTP to the app's real internal
 * handlers (lib/server/results) backed by a recorder in memory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES, noticeForClose } from '../../lib/protocol.ts';
import { handleRecordRun, handleTokenUse } from '../../lib/server/results/internal-routes.ts';
import { MemoryRecorder } from '../../lib/server/results/memory-recorder.ts';
import { INTERNAL_PATHS } from '../../lib/server/results/schema.ts';
import { issueRunToken } from '../../lib/server/run-token.ts';
import { deriveSecrets } from '../../lib/server/secrets.ts';
import type { LoadedLesson } from '../judge/judge.ts';
import { SlotPool } from '../queue/slot-pool.ts';
import { appEndpoints } from './app-client.ts';
import { newRunId, ProtocolClient } from './client.ts';
import { FakeEngine } from './fake-engine.ts';
import { DEFAULT_OUTBOX_OPTIONS } from './outbox.ts';
import { ResultPoster } from './result-poster.ts';
import { RunAuth } from './run-auth.ts';
import { startSandboxServer, type SandboxServer } from './server.ts';

const secrets = deriveSecrets('shared master secret for these tests');
const lesson: LoadedLesson = {
  slug: 'tcp-client',
  id: 'tcp-client',
  processes: [{ file: 'client.py' }],
  limits: {},
  checks: [],
};
const files = [{ name: 'client.py', content: 'print("hello")' }];
const learner = { learnerId: 'learner_1', classId: 'class_1' };

interface World {
  sandbox: SandboxServer;
  engine: FakeEngine;
  recorder: MemoryRecorder;
  app: Server;
  /** How the fake app answers: 'ok' (real handlers), or a status it answers everything with. */
  appMode: { answer: 'ok' | number; secret: string };
  logs: string[];
  connect(): Promise<ProtocolClient>;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The app's internal routes on a real HTTP port, as Next.js would call the handlers. */
function startApp(recorder: MemoryRecorder, mode: World['appMode']): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (mode.answer !== 'ok') {
        res.writeHead(mode.answer).end();
        return;
      }
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Readable.toWeb(req) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      const deps = { secret: mode.secret, recorder };
      const handler = req.url === INTERNAL_PATHS.runs ? handleRecordRun : handleTokenUse;
      const response = await handler(request, deps);
      res.writeHead(response.status, { 'content-type': 'application/json' });
      res.end(await response.text());
    })();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function world(posterOptions = { baseDelayMs: 20, maxDelayMs: 40, maxAttempts: 3 }) {
  const recorder = new MemoryRecorder();
  const appMode: World['appMode'] = { answer: 'ok', secret: secrets.internalSecret };
  const app = await startApp(recorder, appMode);
  cleanups.push(() => new Promise<void>((resolve) => app.close(() => resolve())));
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  const endpoints = appEndpoints(appUrl, secrets.internalSecret);
  const logs: string[] = [];
  const log = {
    info: (line: string) => logs.push(line),
    fault: (what: string, error: unknown) => logs.push(`FAULT ${what}: ${String(error)}`),
    run: () => {},
  };
  const poster = new ResultPoster(endpoints, log, posterOptions);
  const engine = new FakeEngine();
  engine.lessons.set('tcp-client', lesson);
  const sandbox = await startSandboxServer(
    {
      host: '127.0.0.1',
      port: 0,
      allowedOrigins: ['http://localhost:3000'],
      maxConnectionsPerAddress: 50,
      maxRunsPerAddress: 50,
      maxMessageBytes: 64 * 1024,
      trustProxy: false,
      limits: { wallSeconds: 10, outputBytes: 1 << 20 },
      outbox: DEFAULT_OUTBOX_OPTIONS,
    },
    {
      engine,
      pool: new SlotPool({ slots: 4, queueMax: 10 }),
      log,
      recording: { auth: new RunAuth(secrets.runTokenKey, endpoints), poster },
    },
  );
  cleanups.push(() => sandbox.close());
  const connect = async () => {
    const client = await ProtocolClient.connect(sandbox.url, { timeoutMs: 5000 });
    cleanups.push(() => client.close());
    return client;
  };
  const result: World = { sandbox, engine, recorder, app, appMode, logs, connect };
  return { ...result, poster };
}

const token = async (now = new Date()) =>
  (await issueRunToken(secrets.runTokenKey, learner, now)).token;

/** Runs the lesson on `client`, prints, passes one check and finishes. */
async function passingRun(client: ProtocolClient, engine: FakeEngine, count: number) {
  const runId = newRunId();
  client.send({ type: 'run', runId, lesson: 'tcp-client', files });
  const run = await engine.started(count);
  run.emit({ type: 'output', runId, process: 'client.py', stream: 'stdout', data: 'hello\n' });
  const check = { id: 'greets', title: 'Greets', status: 'pass', message: 'It greeted.' } as const;
  run.emit({ type: 'checks', runId, results: [check] });
  run.finish();
  await client.next('run-finished', (m) => m.runId === runId);
  return runId;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('run tokens at the WebSocket front', () => {
  it('records nothing for a page that sends no token, exactly as before', async () => {
    const { connect, engine, recorder, poster } = await world();
    const client = await connect();
    await passingRun(client, engine, 1);
    await poster.whenIdle();
    expect(recorder.runs.size).toBe(0);
    expect(client.received.map((m) => m.type)).not.toContain('run-not-saved');
  });

  it('records a learner’s lesson run: learner, class, lesson, checks, code, output, outcome', async () => {
    const { connect, engine, recorder, poster } = await world();
    const client = await connect();
    client.send({ type: 'auth', token: await token() });
    await passingRun(client, engine, 1);
    await until(() => recorder.runs.size === 1, 'the run is recorded');
    await poster.whenIdle();
    const [run] = [...recorder.runs.values()];
    expect(run).toMatchObject({
      ...learner,
      lessonId: 'tcp-client',
      outcome: 'passed',
      checks: [{ id: 'greets', status: 'pass', message: 'It greeted.' }],
      code: files,
      output: { 'client.py': 'hello\n' },
    });
    expect(run!.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Date.parse(run!.finishedAt)).toBeGreaterThanOrEqual(Date.parse(run!.startedAt));
  });

  it('holds messages sent right behind the token until it is checked, then runs them', async () => {
    const { connect, engine, recorder } = await world();
    const client = await connect();
    const runId = newRunId();
    client.send({ type: 'auth', token: await token() });
    client.send({ type: 'run', runId, lesson: 'tcp-client', files });
    const run = await engine.started(1);
    run.finish();
    await client.next('run-finished', (m) => m.runId === runId);
    await until(() => recorder.runs.size === 1, 'the run is recorded');
  });

  it('does not record runs without a lesson', async () => {
    const { connect, engine, recorder, poster } = await world();
    const client = await connect();
    client.send({ type: 'auth', token: await token() });
    const runId = newRunId();
    client.send({ type: 'run', runId, files });
    (await engine.started(1)).finish();
    await client.next('run-finished');
    await poster.whenIdle();
    expect(recorder.runs.size).toBe(0);
  });

  it('closes with 4401 and the forged notice for a token signed with another key', async () => {
    const { connect } = await world();
    const client = await connect();
    const forged = await issueRunToken(deriveSecrets('x'.repeat(40)).runTokenKey, learner);
    client.send({ type: 'auth', token: forged.token });
    const closed = await client.closed;
    expect(closed.code).toBe(CLOSE_CODES.runTokenForged);
    expect(noticeForClose(closed.code)).toEqual({ code: 'run-token-forged', params: {} });
  });

  it('closes with 4401 for garbage and for a payload changed after signing', async () => {
    const { connect } = await world();
    const genuine = await token();
    const [header, , signature] = genuine.split('.');
    const payload = Buffer.from(JSON.stringify({ ...learner, sub: 'someone_else' })).toString(
      'base64url',
    );
    for (const text of ['not.a.token', `${header}.${payload}.${signature}`]) {
      const client = await connect();
      client.send({ type: 'auth', token: text });
      expect((await client.closed).code).toBe(CLOSE_CODES.runTokenForged);
    }
  });

  it('closes with 4408 and the expired notice for a token older than its minute', async () => {
    const { connect } = await world();
    const client = await connect();
    client.send({ type: 'auth', token: await token(new Date(Date.now() - 120_000)) });
    const closed = await client.closed;
    expect(closed.code).toBe(CLOSE_CODES.runTokenExpired);
    expect(noticeForClose(closed.code)?.code).toBe('run-token-expired');
  });

  it('closes with 4409 for a token presented twice, on this front or (via the app) another', async () => {
    const { connect, recorder } = await world();
    const once = await token();
    const first = await connect();
    first.send({ type: 'auth', token: once });
    await until(() => recorder.usedTokens.size === 1, 'the token is marked used');
    const second = await connect();
    second.send({ type: 'auth', token: once });
    expect((await second.closed).code).toBe(CLOSE_CODES.runTokenReplayed);
    expect(noticeForClose(CLOSE_CODES.runTokenReplayed)?.code).toBe('run-token-replayed');

    // Another front shares only the database: the app says the token was used.
    const other = await world();
    const elsewhere = await other.connect();
    other.recorder.usedTokens.add([...recorder.usedTokens][0]!);
    elsewhere.send({ type: 'auth', token: once });
    expect((await elsewhere.closed).code).toBe(CLOSE_CODES.runTokenReplayed);
  });

  it('closes with 4503 when the app cannot confirm the token unused', async () => {
    const { connect, appMode } = await world();
    appMode.answer = 503;
    const client = await connect();
    client.send({ type: 'auth', token: await token() });
    const closed = await client.closed;
    expect(closed.code).toBe(CLOSE_CODES.runTokenUnchecked);
    expect(noticeForClose(closed.code)?.code).toBe('run-token-unchecked');
  });

  it('refuses auth after another message, and a second auth, keeping the connection', async () => {
    const { connect } = await world();
    const late = await connect();
    late.send({ type: 'viewing', lesson: null });
    late.send({ type: 'auth', token: await token() });
    const error = await late.next('error');
    expect(error).toMatchObject({ code: 'bad-message', notice: { code: 'bad-message' } });
    const twice = await connect();
    twice.send({ type: 'auth', token: await token() });
    twice.send({ type: 'auth', token: await token() });
    expect((await twice.next('error')).notice.code).toBe('bad-message');
    expect(twice.ws.readyState).toBe(twice.ws.OPEN);
  });
});

describe('posting recorded runs', () => {
  it('retries while the app fails and records the run once it is back', async () => {
    const { connect, engine, recorder, appMode } = await world({
      baseDelayMs: 50,
      maxDelayMs: 100,
      maxAttempts: 6,
    });
    const client = await connect();
    client.send({ type: 'auth', token: await token() });
    await until(() => recorder.usedTokens.size === 1, 'the token is checked');
    appMode.answer = 502;
    await passingRun(client, engine, 1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(recorder.runs.size).toBe(0);
    appMode.answer = 'ok';
    await until(() => recorder.runs.size === 1, 'the run is recorded after retries');
    expect(client.received.map((m) => m.type)).not.toContain('run-not-saved');
  });

  it('tells the learner "not saved" on that run when every attempt failed', async () => {
    const { connect, engine, recorder, appMode, logs } = await world();
    const client = await connect();
    client.send({ type: 'auth', token: await token() });
    await until(() => recorder.usedTokens.size === 1, 'the token is checked');
    appMode.answer = 500;
    const runId = await passingRun(client, engine, 1);
    const notSaved = await client.next('run-not-saved');
    expect(notSaved).toMatchObject({ runId, notice: { code: 'run-not-saved', params: {} } });
    expect(logs.some((line) => line.includes('not saved after 3 attempts'))).toBe(true);
  });

  it('gives up at once when the app refuses the internal secret (no retry helps)', async () => {
    const { connect, engine, recorder, appMode, logs } = await world();
    const client = await connect();
    client.send({ type: 'auth', token: await token() });
    await until(() => recorder.usedTokens.size === 1, 'the token is checked');
    appMode.secret = 'a different secret';
    await passingRun(client, engine, 1);
    await client.next('run-not-saved');
    expect(logs.some((line) => line.includes('not saved after 1 attempts'))).toBe(true);
    expect(
      logs.some((line) => line.startsWith('FAULT recording run') && line.includes('401')),
    ).toBe(true);
  });
});
