/**
 * The WebSocket front against a fake engine: real sockets on loopback, no sandbox. Proves the
 * transport's own behaviour (hello, validation, routing, replacing, queueing, backpressure).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { LoadedLesson } from '../judge/judge.ts';
import { renderNotice } from '../../lib/notices/catalog.ts';
import { CLOSE_CODES, PROTOCOL_VERSION, WIRE_LIMITS } from '../../lib/protocol.ts';
import { SlotPool } from '../queue/slot-pool.ts';
import { newRunId, ProtocolClient } from './client.ts';
import { FakeEngine } from './fake-engine.ts';
import { FAULT_NOTICE, type RunLogEntry } from './run-session.ts';
import { testTransportOptions } from './test-options.ts';
import {
  startSandboxServer,
  type OpsDeps,
  type SandboxServer,
  type TransportOptions,
} from './server.ts';

const files = [{ name: 'main.py', content: 'print("hi")' }];
const runMessage = (runId: string, extra: object = {}) => ({ type: 'run', runId, files, ...extra });

interface Harness {
  server: SandboxServer;
  engine: FakeEngine;
  pool: SlotPool;
  logged: RunLogEntry[];
  faults: string[];
  connect(origin?: string): Promise<ProtocolClient>;
}

let harness: Harness | null = null;
const clients: ProtocolClient[] = [];

async function start(
  options: Partial<TransportOptions> & { slots?: number; queueMax?: number; ops?: OpsDeps } = {},
) {
  const { ops, ...transport } = options;
  const engine = new FakeEngine();
  const pool = new SlotPool({ slots: options.slots ?? 4, queueMax: options.queueMax ?? 10 });
  const logged: RunLogEntry[] = [];
  const faults: string[] = [];
  const server = await startSandboxServer(testTransportOptions(transport), {
    engine,
    pool,
    ops,
    log: {
      info: () => {},
      fault: (what, error) => faults.push(`${what}: ${String(error)}`),
      run: (entry) => logged.push(entry),
    },
  });
  const connect = async (origin?: string) => {
    const client = await ProtocolClient.connect(server.url, { origin, timeoutMs: 5000 });
    clients.push(client);
    return client;
  };
  harness = { server, engine, pool, logged, faults, connect };
  return harness;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await harness?.server.close();
  harness = null;
});

describe('connection', () => {
  it('says hello first, with the protocol version, limits and message cap', async () => {
    const { connect } = await start();
    const client = await connect();
    expect(client.received[0]).toMatchObject({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      limits: { wallSeconds: 10 },
      maxMessageBytes: 4096,
    });
  });

  it('closes a connection from a foreign origin with originRejected', async () => {
    const { server } = await start();
    const client = new ProtocolClient(server.url, { origin: 'https://evil.example' });
    expect((await client.closed).code).toBe(CLOSE_CODES.originRejected);
    expect(client.received).toEqual([]);
  });

  it('closes a connection without any Origin', async () => {
    const { server } = await start();
    const ws = new WebSocket(server.url);
    const code = await new Promise((resolve) => ws.on('close', resolve));
    expect(code).toBe(CLOSE_CODES.originRejected);
  });

  it('caps connections per address', async () => {
    const { server, connect } = await start({ maxConnectionsPerAddress: 2 });
    await connect();
    await connect();
    const third = new ProtocolClient(server.url);
    expect((await third.closed).code).toBe(CLOSE_CODES.tooManyConnections);
  });

  it('answers non-JSON, bad shapes, binary and oversized messages, and stays usable', async () => {
    const { connect, engine } = await start();
    const client = await connect();
    client.send('{not json');
    expect(await client.next('error')).toMatchObject({
      code: 'bad-message',
      notice: { code: 'bad-message', params: { detail: 'message is not valid JSON' } },
    });
    client.send({ type: 'run', runId: 'x' });
    const shape = (await client.next('error')).notice;
    expect(shape).toMatchObject({
      code: 'bad-message',
      params: { detail: expect.stringMatching(/runId/) },
    });
    client.send(Buffer.from([1, 2, 3]));
    expect(await client.next('error')).toMatchObject({
      code: 'bad-message',
      notice: { code: 'binary-message', params: {} },
    });
    client.send({ type: 'stdin', runId: 'r'.repeat(10), process: 'p', data: 'x'.repeat(5000) });
    expect(await client.next('error')).toMatchObject({
      code: 'too-large',
      notice: { code: 'message-too-large', params: { maxBytes: 4096 } },
    });
    const runId = newRunId();
    client.send(runMessage(runId));
    (await engine.started(1)).finish();
    await client.finished(runId);
  });

  it('closes a socket that sends a frame beyond the hard ceiling with 1009, and keeps serving', async () => {
    const { connect, server } = await start();
    const client = await connect();
    client.send('x'.repeat(4 * WIRE_LIMITS.maxMessageBytes + 1));
    expect((await client.closed).code).toBe(1009);
    await connect();
    expect(server.connections).toBe(1);
  });

  it('upgrades only /ws and reports health over plain HTTP', async () => {
    const { server, pool } = await start({ ops: { instance: 'a1' } });
    const other = new WebSocket(server.url.replace(/\/ws$/, '/other'), {
      origin: 'http://localhost:3000',
    });
    const failure = await new Promise<string>((resolve) =>
      other.on('error', (e) => resolve(e.message)),
    );
    expect(failure).toMatch(/404/);
    const health = await fetch(server.url.replace(/^ws/, 'http').replace(/\/ws$/, '/health'));
    expect(await health.json()).toEqual({
      ok: true,
      slots: pool.slots,
      busy: 0,
      waiting: 0,
      connections: 0,
      draining: false,
      instance: 'a1',
    });
  });

  it('names the run in an error about a message that has a valid runId', async () => {
    const { connect } = await start();
    const client = await connect();
    const runId = newRunId();
    client.send({ type: 'run', runId, files: [{ name: '../etc/passwd', content: '' }] });
    expect(await client.next('error')).toMatchObject({ runId, code: 'bad-message' });
  });
});

describe('runs', () => {
  it('streams a run’s events and logs one line for it', async () => {
    const { connect, engine, logged } = await start();
    const client = await connect();
    const runId = newRunId();
    client.send(runMessage(runId));
    const run = await engine.started(1);
    run.emit({ type: 'output', runId, process: 'main.py', stream: 'stdout', data: 'hi\n' });
    run.finish();
    const events = await client.finished(runId);
    expect(events.map((e) => e.type)).toEqual(['run-started', 'output', 'run-finished']);
    await expect
      .poll(() => logged)
      .toEqual([expect.objectContaining({ runId, reason: 'completed' })]);
  });

  it('routes stdin, EOF and Ctrl-C to the current run and refuses unknown runs', async () => {
    const { connect, engine } = await start();
    const client = await connect();
    const runId = newRunId();
    client.send(runMessage(runId));
    const run = await engine.started(1);
    client.send({ type: 'stdin', runId, process: 'main.py', data: 'hello\n' });
    client.send({ type: 'eof', runId, process: 'main.py' });
    client.send({ type: 'interrupt', runId, process: 'main.py' });
    client.send({ type: 'stdin', runId: newRunId(), process: 'main.py', data: 'x' });
    expect(await client.next('error')).toMatchObject({ code: 'unknown-run' });
    client.send({ type: 'stdin', runId, process: 'nope.py', data: 'x' });
    expect(await client.next('error')).toMatchObject({ code: 'unknown-process', runId });
    client.send({ type: 'stdin', runId, process: 'crash.py', data: 'x' });
    expect(await client.next('error')).toMatchObject({ code: 'internal', runId });
    expect(run.calls).toEqual(['stdin main.py hello\n', 'eof main.py', 'interrupt main.py']);
  });

  it('caps the typed input one run accepts', async () => {
    const { connect, engine } = await start({ maxMessageBytes: 64 * 1024 });
    const client = await connect();
    const runId = newRunId();
    client.send(runMessage(runId));
    const run = await engine.started(1);
    const data = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 65; i++) client.send({ type: 'stdin', runId, process: 'main.py', data });
    expect(await client.next('error')).toMatchObject({ code: 'too-large', runId });
    expect(run.calls).toHaveLength(64);
  });

  it('replaces the current run: the old one is stopped, the new one runs', async () => {
    const { connect, engine } = await start();
    const client = await connect();
    const [first, second] = [newRunId('a'), newRunId('b')];
    client.send(runMessage(first));
    const old = await engine.started(1);
    client.send(runMessage(second));
    const next = await engine.started(2);
    expect(old.calls).toEqual(['stop']);
    expect((await client.finished(first)).at(-1)).toMatchObject({ reason: 'stopped' });
    expect(next.request.runId).toBe(second);
    client.send({ type: 'stdin', runId: first, process: 'main.py', data: 'x' });
    expect(await client.next('error')).toMatchObject({ code: 'unknown-run' });
  });

  it('refuses to reuse the id of a run that is still live', async () => {
    const { connect, engine } = await start();
    const client = await connect();
    const runId = newRunId();
    client.send(runMessage(runId));
    await engine.started(1);
    client.send(runMessage(runId));
    expect((await client.next('error')).notice).toEqual({
      code: 'run-id-in-use',
      params: { runId },
    });
  });

  it('stops the run when Stop arrives, and when the socket closes', async () => {
    const { connect, engine, pool } = await start();
    const client = await connect();
    const runId = newRunId();
    client.send(runMessage(runId));
    const run = await engine.started(1);
    client.send({ type: 'stop', runId });
    await client.finished(runId);
    expect(run.calls).toEqual(['stop']);
    client.send(runMessage(newRunId()));
    const second = await engine.started(2);
    client.close();
    await expect.poll(() => second.stopped).toBe(true);
    await expect.poll(() => pool.busy).toBe(0);
  });

  it('answers unknown-lesson with the slug, and a broken lesson as a logged server fault', async () => {
    const { connect, faults } = await start();
    const client = await connect();
    const runId = newRunId();
    client.send(runMessage(runId, { lesson: 'no-such-lesson' }));
    const error = await client.next('error');
    expect(error).toMatchObject({ code: 'unknown-lesson', runId });
    expect(error.notice).toEqual({ code: 'unknown-lesson', params: { lesson: 'no-such-lesson' } });
    client.send(runMessage(newRunId(), { lesson: 'broken' }));
    expect(await client.next('error')).toMatchObject({
      code: 'internal',
      notice: { code: 'lesson-load-failed', params: { lesson: 'broken' } },
    });
    expect(faults.join()).toContain('syntax error');
  });

  it('tells the engine how many browsers show each lesson, so it can get sandboxes ready', async () => {
    const { connect, engine } = await start();
    const echo: LoadedLesson = {
      slug: 'tcp-client',
      id: 'tcp-client',
      processes: [
        { peer: 'tcp-echo', port: 8080, options: { waitForEnd: false } },
        { file: 'client.py' },
      ],
      limits: {},
      checks: [],
    };
    const greeter: LoadedLesson = {
      slug: 'greeting',
      id: 'greeting',
      processes: [
        {
          peer: 'tcp-greeter',
          port: 8080,
          options: { greeting: 'hi\n', waitForRequest: false, stallMs: 0, downForMs: 0 },
        },
        { file: 'client.py' },
      ],
      limits: {},
      checks: [],
    };
    engine.lessons.set('tcp-client', echo).set('greeting', greeter);
    const [a, b, c] = await Promise.all([connect(), connect(), connect()]);
    for (const client of [a!, b!]) client.send({ type: 'viewing', lesson: 'tcp-client' });
    c!.send({ type: 'viewing', lesson: 'greeting' });
    // A count per lesson, in any order: the three sockets' messages may arrive in any order, and
    // on a busy host further apart than the debounce (lesson-viewers.test.ts proves that on a
    // fake clock).
    const both = [
      { lesson: echo, count: 2 },
      { lesson: greeter, count: 1 },
    ];
    await expect.poll(() => engine.warmUps.at(-1)).toEqual(expect.arrayContaining(both));
    expect(engine.warmUps.at(-1)).toHaveLength(2);
    a!.send({ type: 'viewing', lesson: null });
    c!.close();
    await expect.poll(() => engine.warmUps.at(-1)).toEqual([{ lesson: echo, count: 1 }]);

    b!.send({ type: 'viewing', lesson: 'no-such-lesson' });
    expect(await b!.next('error')).toMatchObject({
      code: 'unknown-lesson',
      notice: { code: 'unknown-lesson', params: { lesson: 'no-such-lesson' } },
    });
    await expect.poll(() => engine.warmUps.at(-1)).toEqual([]);
  });

  it('refuses a request the engine cannot run before it queues, with the engine’s words', async () => {
    const { connect, engine, pool } = await start();
    const client = await connect();
    const runId = newRunId();
    client.send({ type: 'run', runId, files: [{ name: 'dup.py', content: '' }] });
    expect(await client.next('error')).toMatchObject({
      runId,
      code: 'bad-message',
      notice: { code: 'duplicate-file', params: { file: 'dup.py' } },
    });
    expect(engine.runs).toEqual([]);
    expect(pool.busy + pool.waiting).toBe(0);
  });

  it('passes the loaded lesson to the engine', async () => {
    const { connect, engine } = await start();
    const lesson: LoadedLesson = {
      slug: 'tcp-client',
      id: 'tcp-client',
      processes: [{ file: 'main.py' }],
      limits: {},
      checks: [],
    };
    engine.lessons.set('tcp-client', lesson);
    const client = await connect();
    client.send(runMessage(newRunId(), { lesson: 'tcp-client' }));
    expect((await engine.started(1)).request.lesson).toBe(lesson);
  });

  it('passes the seed of a repeated run to the engine, and none for a fresh one', async () => {
    const { connect, engine } = await start();
    const client = await connect();
    client.send({ ...runMessage(newRunId()), seed: 4294967295 });
    expect((await engine.started(1)).request.seed).toBe(4294967295);
    (await engine.started(1)).finish();
    client.send(runMessage(newRunId()));
    expect((await engine.started(2)).request.seed).toBeUndefined();
  });

  it('turns an engine that throws into an honest run-finished and keeps serving', async () => {
    const { connect, engine, faults, pool } = await start();
    const client = await connect();
    engine.startError = new Error('cgroup write failed');
    const runId = newRunId();
    client.send(runMessage(runId));
    expect((await client.finished(runId)).at(-1)).toMatchObject({
      reason: 'error',
      notice: FAULT_NOTICE,
    });
    expect(faults.join()).toContain('cgroup write failed');
    expect(pool.busy).toBe(0);
    engine.startError = null;
    const next = newRunId();
    client.send(runMessage(next));
    (await engine.started(1)).finish();
    await client.finished(next);
  });

  it('ends a run whose engine failed mid-way with the fault message', async () => {
    const { connect, engine } = await start();
    const client = await connect();
    const runId = newRunId();
    client.send(runMessage(runId));
    (await engine.started(1)).fail(new Error('netns vanished'));
    expect((await client.finished(runId)).at(-1)).toMatchObject({
      reason: 'error',
      notice: FAULT_NOTICE,
    });
  });

  it('caps live runs per address', async () => {
    const { connect, engine } = await start({ maxRunsPerAddress: 1 });
    engine.stopFinishes = false;
    const client = await connect();
    client.send(runMessage(newRunId()));
    const first = await engine.started(1);
    // The replaced run is still being torn down, so it still counts.
    client.send(runMessage(newRunId()));
    expect(await client.next('error')).toMatchObject({
      code: 'rate-limited',
      notice: { code: 'rate-limited', params: { max: 1 } },
    });
    first.finish();
    const runId = newRunId();
    client.send(runMessage(runId));
    (await engine.started(2)).finish();
    await client.finished(runId);
  });
});

describe('queue', () => {
  it('shows queue positions that move, then runs in FIFO order', async () => {
    const { connect, engine } = await start({ slots: 1 });
    const [a, b, c] = [await connect(), await connect(), await connect()];
    const ids = [newRunId('a'), newRunId('b'), newRunId('c')];
    a.send(runMessage(ids[0]!));
    const first = await engine.started(1);
    b.send(runMessage(ids[1]!));
    expect(await b.next('queued')).toMatchObject({ position: 1 });
    c.send(runMessage(ids[2]!));
    expect(await c.next('queued')).toMatchObject({ position: 2 });
    b.send({ type: 'stop', runId: ids[1] });
    expect((await b.finished(ids[1]!)).at(-1)).toMatchObject({ reason: 'stopped' });
    expect(await c.next('queued')).toMatchObject({ position: 1 });
    first.finish();
    expect((await engine.started(2)).request.runId).toBe(ids[2]);
    await c.next('run-started');
  });

  it('answers busy with a retry time when the queue is full', async () => {
    const { connect, engine } = await start({ slots: 1, queueMax: 1 });
    const [a, b, c] = [await connect(), await connect(), await connect()];
    a.send(runMessage(newRunId()));
    await engine.started(1);
    b.send(runMessage(newRunId()));
    await b.next('queued');
    const runId = newRunId();
    c.send(runMessage(runId));
    const busy = await c.next('busy');
    expect(busy).toMatchObject({ runId });
    expect(busy.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    const { retryAfterSeconds } = busy;
    expect(busy.notice).toEqual({
      code: 'busy',
      params: { slots: 1, waiting: 1, retryAfterSeconds },
    });
    expect(renderNotice(busy.notice, 'en')).toMatch(/busy.*Try again in about \d+ s\.$/);
  });
});

describe('backpressure', () => {
  it('keeps a flood for a browser that does not read bounded, and says what it skipped', async () => {
    const { connect, engine } = await start({
      outbox: {
        highWaterBytes: 64 * 1024,
        maxPendingBytes: 64 * 1024,
        coalesceMs: 20,
        maxFrameChars: 16 * 1024,
      },
    });
    const client = await connect();
    const runId = newRunId();
    client.send(runMessage(runId));
    const run = await engine.started(1);
    const socket = (client.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    const chunk = 'x'.repeat(8192);
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 4000; i++)
      run.emit({ type: 'output', runId, process: 'main.py', stream: 'stdout', data: chunk });
    run.finish();
    const grew = process.memoryUsage().rss - before;
    socket.resume();
    await client.finished(runId);
    const stdout = client.output(runId);
    expect(stdout.length).toBeLessThan(4000 * 8192);
    const skipped = client.received.filter((m) => m.type === 'output-skipped');
    expect(skipped.length).toBeGreaterThanOrEqual(1);
    expect(skipped[0]).toMatchObject({ runId, process: 'main.py', stream: 'stdout' });
    const characters = skipped.reduce(
      (sum, m) => sum + (m.type === 'output-skipped' ? m.characters : 0),
      0,
    );
    expect(stdout.length + characters).toBe(4000 * 8192);
    // 32 MB were emitted; what the server held stays near its bounds, far below that.
    expect(grew).toBeLessThan(24 * 1024 * 1024);
  });
});

describe('shutdown', () => {
  it('stops runs and closes sockets with serverShuttingDown', async () => {
    const { connect, engine, server } = await start();
    const client = await connect();
    client.send(runMessage(newRunId()));
    const run = await engine.started(1);
    await server.close();
    harness = null;
    expect((await client.closed).code).toBe(CLOSE_CODES.serverShuttingDown);
    expect(run.stopped).toBe(true);
  });
});
