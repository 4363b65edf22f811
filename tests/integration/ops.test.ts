/**
 * Operations of the real sandbox server (`sandbox-server/main.ts`, jailer and front): /healthz,
 * /readyz (the jailer really answers), /health, /metrics after real runs, JSON log lines that
 * never hold a run's code, output, input or token, and the drain SIGTERM starts: readiness
 * off, new browsers sent elsewhere, the run in progress finishes, then a clean exit; and a run
 * that outlasts HANDSHAKE_DRAIN_SECONDS is stopped.
 */
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CLOSE_CODES } from '../../lib/protocol.ts';
import { newRunId, ProtocolClient } from '../../sandbox-server/transport/client.ts';
import { launchServer, type LaunchedServer } from '../../sandbox-server/transport/launch.ts';
import { liveServerPerFile } from './live-server.ts';

const TOKEN = 'metrics-bearer-for-the-ops-test';
const live = liveServerPerFile({
  HANDSHAKE_INSTANCE: 'opst1',
  HANDSHAKE_METRICS_TOKEN: TOKEN,
  // Nothing listens here: a run token cannot be checked, and is refused.
  HANDSHAKE_APP_URL: 'http://127.0.0.1:9',
});

const httpBase = (server: LaunchedServer): string =>
  server.url.replace(/^ws/, 'http').replace(/\/ws$/, '');
const get = (server: LaunchedServer, path: string, headers: Record<string, string> = {}) =>
  fetch(`${httpBase(server)}${path}`, { headers });
const program = (content: string) => [{ name: 'main.py', content }];

/** The value of one sample of the exposition. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** The server's output as parsed log records (every line must be one). */
function records(server: LaunchedServer): Array<Record<string, unknown>> {
  return server
    .log()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`a log line that is not JSON: ${line}`);
      }
    });
}

describe('health, readiness and metrics of the real server', () => {
  it('answers /healthz, /readyz (its jailer answers) and /health with draining and instance', async () => {
    const { server } = live;
    expect((await get(server, '/healthz')).status).toBe(200);
    expect((await get(server, '/readyz')).status).toBe(200);
    expect(await (await get(server, '/health')).json()).toMatchObject({
      ok: true,
      slots: expect.any(Number),
      busy: 0,
      waiting: 0,
      connections: 0,
      draining: false,
      instance: 'opst1',
    });
  });

  it('serves Prometheus metrics behind the token, counting real runs', async () => {
    const { server } = live;
    expect((await get(server, '/metrics')).status).toBe(401);
    const client = await live.connect();
    const runId = newRunId();
    client.send({ type: 'run', runId, files: program('print("metered")') });
    expect((await client.finished(runId)).at(-1)).toMatchObject({ reason: 'completed' });
    const scrape = async () => {
      const response = await get(server, '/metrics', { authorization: `Bearer ${TOKEN}` });
      expect(response.status).toBe(200);
      return response.text();
    };
    // The run is counted once its sandbox is torn down, just after the browser heard the end.
    await expect
      .poll(async () => sample(await scrape(), 'handshake_sandbox_runs_total{outcome="completed"}'))
      .toBeGreaterThan(0);
    const text = await scrape();
    expect(sample(text, 'handshake_sandbox_first_output_seconds_count')).toBeGreaterThan(0);
    expect(sample(text, 'handshake_sandbox_slots_busy')).toBe(0);
    expect(sample(text, 'handshake_sandbox_queue_waiting')).toBe(0);
    expect(sample(text, 'handshake_sandbox_connections')).toBe(1);
    expect(sample(text, 'handshake_sandbox_warm_sandboxes')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'handshake_sandbox_slots')).toBeGreaterThan(0);
  });
});

describe('the log', () => {
  it('is JSON lines from every process, one per run, with none of its code, output, input or token', async () => {
    const secret = 'hs_SECRET_c0ffee_7d1e9a';
    const token = `eyJhbGciOiJIUzI1NiJ9.${secret}.sig`;
    const tokened = await live.connect();
    tokened.send({ type: 'auth', token });
    // Not signed with the server's key: refused before the app would be asked.
    expect((await tokened.closed).code).toBe(CLOSE_CODES.runTokenForged);

    const client = await live.connect();
    const runId = newRunId();
    const code = `name = input()\nprint("${secret}", name)\nraise SystemExit("${secret}")\n`;
    client.send({ type: 'run', runId, files: program(code) });
    await client.next('process-started', (m) => m.runId === runId);
    client.send({ type: 'stdin', runId, process: 'main.py', data: `${secret}-typed\n` });
    await client.finished(runId);
    expect(client.output(runId)).toContain(secret);

    await expect
      .poll(() => records(live.server).find((r) => r.runId === runId && r.msg === 'run'))
      .toMatchObject({
        level: 'info',
        process: 'front',
        instance: 'opst1',
        lesson: null,
        outcome: 'completed',
        durationMs: expect.any(Number),
      });
    const all = records(live.server);
    expect(all.find((r) => r.process === 'main')).toMatchObject({ instance: 'opst1' });
    expect(all.find((r) => /refused a run token/.test(String(r.msg)))).toBeDefined();
    expect(all.every((r) => typeof r.time === 'string' && typeof r.level === 'string')).toBe(true);
    expect(live.server.log()).not.toContain(secret);
    expect(live.server.log()).not.toContain('input()');
  });
});

describe('drain on SIGTERM', () => {
  it('stops taking runs and browsers, lets the run in progress finish, then exits 0', async () => {
    const server = await launchServer({ HANDSHAKE_DRAIN_SECONDS: '25' });
    try {
      const client = await ProtocolClient.connect(server.url, { timeoutMs: 25_000 });
      const runId = newRunId();
      const code = 'import time\nprint("up", flush=True)\ntime.sleep(3)\nprint("done")\n';
      client.send({ type: 'run', runId, files: program(code) });
      await client.next('output', (m) => m.runId === runId);
      server.child.kill('SIGTERM');

      await expect.poll(async () => (await get(server, '/readyz')).status).toBe(503);
      expect(await (await get(server, '/health')).json()).toMatchObject({
        draining: true,
        busy: 1,
      });
      const late = new WebSocket(server.url, { origin: 'http://localhost:3000' });
      expect(await new Promise((resolve) => late.on('close', resolve))).toBe(
        CLOSE_CODES.serverDraining,
      );

      expect((await client.finished(runId)).at(-1)).toMatchObject({ reason: 'completed' });
      expect(client.output(runId)).toBe('up\ndone\n');
      expect((await client.closed).code).toBe(CLOSE_CODES.serverDraining);
      expect(await server.exited).toBe(0);
      expect(server.log()).toMatch(/"msg":"drained in [\d.]+ s"/);
    } finally {
      await server.stop();
    }
  });

  it('stops a run that outlasts HANDSHAKE_DRAIN_SECONDS, and exits 0', async () => {
    const server = await launchServer({ HANDSHAKE_DRAIN_SECONDS: '2' });
    try {
      const client = await ProtocolClient.connect(server.url, { timeoutMs: 25_000 });
      const runId = newRunId();
      client.send({
        type: 'run',
        runId,
        files: program('import time\nprint("up", flush=True)\ntime.sleep(60)\n'),
      });
      await client.next('output', (m) => m.runId === runId);
      const stoppedAt = performance.now();
      server.child.kill('SIGTERM');
      expect((await client.closed).code).toBe(CLOSE_CODES.serverShuttingDown);
      expect(await server.exited).toBe(0);
      const seconds = (performance.now() - stoppedAt) / 1000;
      expect(seconds).toBeGreaterThanOrEqual(1.9);
      expect(seconds).toBeLessThan(20);
      expect(server.log()).toMatch(/drain time up after/);
    } finally {
      await server.stop();
    }
  });
});
