/**
 * The app's /healthz, /readyz and /metrics as plain functions: readiness against a real SQLite
 * database, one that hangs and one that fails; metrics behind the token, with the database's
 * query latency and the run tokens issued.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/index.ts';
import { handleRunToken } from '../results/run-token-route.ts';
import { appMetrics, createAppMetrics } from './app-metrics.ts';
import { handleHealthz, handleMetrics, handleReadyz } from './health-routes.ts';

let dir: string;
let database: Database;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handshake-ops-'));
  database = await openDatabase({ dataDir: dir });
});

afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The value of one sample of the exposition. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

const scrape = (token = '') =>
  handleMetrics(
    new Request('http://app/metrics', {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    }),
    { registry: appMetrics().registry, token: '' },
  ).then((response) => response.text());

describe('/healthz and /readyz', () => {
  it('answers /healthz', async () => {
    const response = handleHealthz();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('is ready when the database answers', async () => {
    const response = await handleReadyz({ ping: () => sql`select 1`.execute(database.db) });
    expect(response.status).toBe(200);
  });

  it('is not ready, saying why, when the database hangs or fails', async () => {
    const hung = await handleReadyz({ ping: () => new Promise(() => {}), timeoutMs: 50 });
    expect(hung.status).toBe(503);
    expect(await hung.text()).toBe('the database did not answer within 50 ms\n');
    const faults: string[] = [];
    const failed = await handleReadyz({
      ping: () => Promise.reject(new Error('ECONNREFUSED')),
      logFault: (what, error) => faults.push(`${what}: ${(error as Error).message}`),
    });
    expect(failed.status).toBe(503);
    expect(await failed.text()).toBe('the database cannot be reached\n');
    expect(faults).toEqual(['readiness: the database: ECONNREFUSED']);
  });

  it('does not leave a late failure unhandled', async () => {
    let fail!: (error: Error) => void;
    const response = await handleReadyz({
      ping: () => new Promise((_resolve, reject) => (fail = reject)),
      timeoutMs: 10,
    });
    expect(response.status).toBe(503);
    fail(new Error('too late'));
    await new Promise((resolve) => setImmediate(resolve));
  });
});

describe('/metrics', () => {
  it('asks for the bearer token when one is set', async () => {
    const { registry } = createAppMetrics();
    const ask = (authorization?: string) =>
      handleMetrics(
        new Request('http://app/metrics', { headers: authorization ? { authorization } : {} }),
        { registry, token: 'app-metrics-token' },
      );
    expect((await ask()).status).toBe(401);
    expect((await ask('Bearer nope')).status).toBe(401);
    const ok = await ask('Bearer app-metrics-token');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^handshake_app_run_tokens_issued_total 0$/m);
  });

  it('counts the sandbox servers the app places pages on, by state', async () => {
    const load = { slots: 8, busy: 0, waiting: 0 };
    const status = (healthy: boolean, draining: boolean | null) => ({
      url: 'ws://x/ws',
      load: draining === null ? null : { ...load, draining },
      failures: healthy ? 0 : 2,
      healthy,
      placed: 0,
    });
    const { registry } = createAppMetrics(() => [
      status(true, false),
      status(true, false),
      status(false, true),
      status(false, null),
    ]);
    const text = await registry.metrics();
    expect(text).toMatch(/^handshake_app_sandbox_servers\{state="healthy"\} 2$/m);
    expect(text).toMatch(/^handshake_app_sandbox_servers\{state="draining"\} 1$/m);
    expect(text).toMatch(/^handshake_app_sandbox_servers\{state="unreachable"\} 1$/m);
  });

  it("times the data layer's queries and counts run tokens issued", async () => {
    const before = await scrape();
    await sql`select 1`.execute(database.db);
    const response = await handleRunToken(
      new Request('http://app/api/run-token', { method: 'POST' }),
      {
        learnerFromRequest: () => Promise.resolve({ id: 'l1', classId: 'c1' }),
        key: () => new Uint8Array(32).fill(7),
      },
    );
    expect(response.status).toBe(200);
    const after = await scrape();
    const queries = 'handshake_app_db_seconds_count{engine="sqlite"}';
    expect(sample(after, queries)).toBeGreaterThan(sample(before, queries) ?? 0);
    const tokens = 'handshake_app_run_tokens_issued_total';
    expect(sample(after, tokens)).toBe((sample(before, tokens) ?? 0) + 1);
    expect(after).toMatch(/^process_resident_memory_bytes /m);
  });
});
