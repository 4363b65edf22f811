/**
 * The sandbox server's operational side against a fake engine, over real HTTP and WebSockets on
 * loopback: /healthz, /readyz, /health, /metrics (its numbers and its token) and the drain a
 * SIGTERM starts (no new run, each connection closed with serverDraining once its run ended).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CLOSE_CODES } from '../../lib/protocol.ts';
import { instrumentedEngine } from '../ops/instrumented-engine.ts';
import { poolMetrics, SandboxMetrics } from '../ops/metrics.ts';
import { SlotPool } from '../queue/slot-pool.ts';
import { newRunId, ProtocolClient } from './client.ts';
import { FakeEngine } from './fake-engine.ts';
import { testTransportOptions } from './test-options.ts';
import { startSandboxServer, type OpsDeps, type SandboxServer } from './server.ts';

const files = [{ name: 'main.py', content: 'print("hi")' }];
const TOKEN = 'metrics-token-for-the-test';

interface Harness {
  server: SandboxServer;
  engine: FakeEngine;
  metrics: SandboxMetrics;
  connect(): Promise<ProtocolClient>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
}

let harness: Harness | null = null;
const clients: ProtocolClient[] = [];

/** A server wired as front/main.ts wires it: instrumented engine, run counts, token. */
async function start(ops: OpsDeps = {}, slots = 2): Promise<Harness> {
  const engine = new FakeEngine();
  const pool = new SlotPool({ slots, queueMax: 4 });
  let server: SandboxServer | null = null;
  const metrics = poolMetrics(
    pool,
    () => server?.connections ?? 0,
    () => Promise.resolve(3),
  );
  server = await startSandboxServer(testTransportOptions(), {
    engine: instrumentedEngine(engine, metrics),
    pool,
    log: { info: () => {}, fault: () => {}, run: (entry) => metrics.runEnded(entry.reason) },
    ops: { instance: 'test1', metrics, metricsToken: TOKEN, ...ops },
  });
  const base = server.url.replace(/^ws/, 'http').replace(/\/ws$/, '');
  const running = server;
  harness = {
    server: running,
    engine,
    metrics,
    async connect() {
      const client = await ProtocolClient.connect(running.url, { timeoutMs: 5000 });
      clients.push(client);
      return client;
    },
    get: (path, headers = {}) => fetch(`${base}${path}`, { headers }),
  };
  return harness;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await harness?.server.close();
  harness = null;
});

const bearer = { authorization: `Bearer ${TOKEN}` };

/** The value of one sample line of the exposition, e.g. `handshake_sandbox_slots_busy`. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('health and readiness', () => {
  it('answers /healthz while the process runs, and /readyz while the jailer answers', async () => {
    let jailer = true;
    const { get } = await start({ jailerAnswers: () => Promise.resolve(jailer) });
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    jailer = false;
    const notReady = await get('/readyz');
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toMatch(/jailer does not answer/);
    expect((await get('/healthz')).status).toBe(200);
  });
});

describe('/metrics', () => {
  it('asks for the bearer token when one is configured', async () => {
    const { get } = await start();
    const none = await get('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await get('/metrics', { authorization: 'Bearer wrong' })).status).toBe(401);
    const ok = await get('/metrics', bearer);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('is open without a token', async () => {
    const { get } = await start({ metricsToken: '' });
    expect((await get('/metrics')).status).toBe(200);
  });

  it('reports busy slots, the queue, connections, warm sandboxes and runs by outcome', async () => {
    const { get, connect, engine } = await start({}, 1);
    const first = await connect();
    const second = await connect();
    const a = newRunId();
    first.send({ type: 'run', runId: a, files });
    const run = await engine.started(1);
    second.send({ type: 'run', runId: newRunId(), files });
    await second.next('queued');
    let text = await (await get('/metrics', bearer)).text();
    expect(sample(text, 'handshake_sandbox_slots')).toBe(1);
    expect(sample(text, 'handshake_sandbox_slots_busy')).toBe(1);
    expect(sample(text, 'handshake_sandbox_queue_waiting')).toBe(1);
    expect(sample(text, 'handshake_sandbox_connections')).toBe(2);
    expect(sample(text, 'handshake_sandbox_warm_sandboxes')).toBe(3);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);

    run.emit({ type: 'output', runId: a, process: 'main.py', stream: 'stdout', data: 'hi\n' });
    run.finish('completed');
    await first.finished(a);
    await engine.started(2);
    text = await (await get('/metrics', bearer)).text();
    expect(sample(text, 'handshake_sandbox_runs_total{outcome="completed"}')).toBe(1);
    expect(sample(text, 'handshake_sandbox_first_output_seconds_count')).toBe(1);
    expect(sample(text, 'handshake_sandbox_queue_waiting')).toBe(0);
  });

  it('counts limit hits by limit', () => {
    const metrics = new SandboxMetrics({
      slots: () => 1,
      busy: () => 0,
      waiting: () => 0,
      connections: () => 0,
      warmSandboxes: () => Promise.resolve(null),
    });
    metrics.runEnded('time-limit');
    metrics.runEnded('memory-limit');
    metrics.runEnded('memory-limit');
    metrics.runEnded('completed');
    return metrics.render().then((text) => {
      expect(sample(text, 'handshake_sandbox_limit_hits_total{limit="time"}')).toBe(1);
      expect(sample(text, 'handshake_sandbox_limit_hits_total{limit="memory"}')).toBe(2);
      expect(text).not.toMatch(/limit="completed"/);
      // A jailer that never answered has reported no sandbox made ahead.
      expect(sample(text, 'handshake_sandbox_warm_sandboxes')).toBe(0);
    });
  });
});

describe('drain', () => {
  it('closes an idle connection with serverDraining and turns /readyz to 503', async () => {
    const { server, connect, get } = await start();
    const idle = await connect();
    const drained = server.drain();
    expect((await idle.closed).code).toBe(CLOSE_CODES.serverDraining);
    await drained;
    expect(server.draining).toBe(true);
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.text()).toBe('draining\n');
    expect(await (await get('/health')).json()).toMatchObject({
      draining: true,
      instance: 'test1',
    });
  });

  it('lets a run finish, refuses a new one with the notice, then closes', async () => {
    const { server, connect, engine } = await start();
    const client = await connect();
    const a = newRunId();
    client.send({ type: 'run', runId: a, files });
    const run = await engine.started(1);
    let drained = false;
    const draining = server.drain().then(() => (drained = true));
    // A browser arriving now is told to go elsewhere at once.
    const late = new WebSocket(server.url, { origin: 'http://localhost:3000' });
    const lateClose = await new Promise<number>((resolve) => late.on('close', resolve));
    expect(lateClose).toBe(CLOSE_CODES.serverDraining);

    run.emit({ type: 'output', runId: a, process: 'main.py', stream: 'stdout', data: 'still\n' });
    expect(await client.next('output')).toMatchObject({ runId: a, data: 'still\n' });
    expect(run.stopped).toBe(false);
    expect(drained).toBe(false);
    run.finish('completed');
    expect((await client.finished(a)).at(-1)).toMatchObject({ reason: 'completed' });
    expect((await client.closed).code).toBe(CLOSE_CODES.serverDraining);
    await draining;
    expect(engine.runs).toHaveLength(1);
  });

  it('answers a Run during the drain with server-draining and stops the run it replaces', async () => {
    const { server, connect, engine } = await start();
    engine.stopFinishes = true;
    const client = await connect();
    const a = newRunId();
    client.send({ type: 'run', runId: a, files });
    const run = await engine.started(1);
    void server.drain();
    const b = newRunId();
    client.send({ type: 'run', runId: b, files });
    const busy = await client.next('busy');
    expect(busy).toMatchObject({ runId: b, notice: { code: 'server-draining', params: {} } });
    expect(run.stopped).toBe(true);
    expect((await client.closed).code).toBe(CLOSE_CODES.serverDraining);
    expect(engine.runs).toHaveLength(1);
  });
});
