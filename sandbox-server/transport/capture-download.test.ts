/**
 * A finished run's capture over HTTP, against a fake engine: capture-ready before run-finished,
 * the file with its headers to the holder of the token, and a plain 404 to everyone else (wrong
 * token, another connection, the next run, downloads off), 403 to a foreign page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { captureDownloadPath, type ServerMessage } from '../../lib/protocol.ts';
import { SlotPool } from '../queue/slot-pool.ts';
import { CAPTURE_GONE, PCAP_MEDIA_TYPE } from './capture-route.ts';
import { newRunId, ProtocolClient } from './client.ts';
import { FakeEngine, type FakeRun } from './fake-engine.ts';
import { testTransportOptions } from './test-options.ts';
import { startSandboxServer, type SandboxServer } from './server.ts';

type Ready = Extract<ServerMessage, { type: 'capture-ready' }>;

const ORIGIN = 'http://localhost:3000';
const files = [{ name: 'main.py', content: 'print("hi")' }];
const PCAP = new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1, ...Array.from({ length: 60 }, (_, i) => i)]);

let server: SandboxServer | null = null;
const clients: ProtocolClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = null;
});

async function start(downloads = true) {
  const engine = new FakeEngine();
  server = await startSandboxServer(
    testTransportOptions({
      allowedOrigins: [ORIGIN],
      ...(downloads ? { captures: { maxBytes: 1 << 20, ttlMs: 60_000 } } : {}),
    }),
    {
      engine,
      pool: new SlotPool({ slots: 4, queueMax: 10 }),
      log: { info: () => {}, fault: () => {}, run: () => {} },
    },
  );
  const base = server.url.replace(/^ws/, 'http').replace(/\/ws$/, '');
  const connect = async () => {
    const client = await ProtocolClient.connect(server!.url, { timeoutMs: 5000 });
    clients.push(client);
    return client;
  };
  /** Runs on `client` until the engine has it; `lesson` is part of the saved file's name. */
  const run = async (client: ProtocolClient, runId: string, lesson?: string) => {
    if (lesson)
      engine.lessons.set(lesson, {
        slug: lesson,
        id: lesson,
        processes: [{ file: 'main.py' }],
        limits: {},
        checks: [],
      });
    const count = engine.runs.length + 1;
    client.send({ type: 'run', runId, files, ...(lesson ? { lesson } : {}) });
    return engine.started(count);
  };
  const download = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);
  return { engine, connect, run, download };
}

/** Finishes `run` with a capture and returns its capture-ready. */
async function finishWithCapture(client: ProtocolClient, run: FakeRun): Promise<Ready> {
  run.capture({ bytes: PCAP, packets: 3, truncated: false });
  run.finish();
  const events = await client.finished(run.request.runId);
  const types = events.map((event) => event.type);
  expect(types.slice(-2)).toEqual(['capture-ready', 'run-finished']);
  return events.at(-2) as Ready;
}

describe('capture downloads', () => {
  it('announces the capture before run-finished and serves it as a pcap attachment', async () => {
    const { connect, run, download } = await start();
    const client = await connect();
    const runId = newRunId();
    const ready = await finishWithCapture(client, await run(client, runId, 'tcp-client'));
    expect(ready).toMatchObject({
      runId,
      packets: 3,
      bytes: PCAP.length,
      truncated: false,
      expiresInSeconds: 60,
    });
    const response = await download(captureDownloadPath(runId, ready.token));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(PCAP_MEDIA_TYPE);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="handshake-tcp-client-${runId}.pcap"`,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PCAP);
    const head = await download(captureDownloadPath(runId, ready.token), { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(PCAP.length)]);
  });

  it('answers a wrong token, a wrong run, another connection and odd paths with the same 404', async () => {
    const { connect, run, download } = await start();
    const owner = await connect();
    const runId = newRunId();
    const ready = await finishWithCapture(owner, await run(owner, runId));
    // Another connection runs a run of the same id: its token opens only its own capture.
    const other = await connect();
    const theirs = await finishWithCapture(other, await run(other, runId));
    expect(theirs.token).not.toBe(ready.token);
    for (const path of [
      captureDownloadPath(runId, 'A'.repeat(22)),
      captureDownloadPath(newRunId(), ready.token),
      `/capture/${runId}.pcap`,
      `/capture/${runId}.pcap?token=${ready.token.slice(1)}`,
      `/capture/x/${runId}.pcap?token=${ready.token}`,
      `/capture/%2e%2e%2fetc%2fpasswd.pcap?token=${ready.token}`,
      '/capture/',
    ]) {
      const response = await download(path);
      expect([path, response.status]).toEqual([path, 404]);
      expect(await response.text()).toBe(CAPTURE_GONE);
    }
    const [mine, yours] = await Promise.all([
      download(captureDownloadPath(runId, ready.token)),
      download(captureDownloadPath(runId, theirs.token)),
    ]);
    expect([mine.status, yours.status]).toEqual([200, 200]);
  });

  it("forgets a connection's capture when it starts its next run", async () => {
    const { connect, run, download } = await start();
    const client = await connect();
    const first = newRunId('first');
    const ready = await finishWithCapture(client, await run(client, first));
    expect((await download(captureDownloadPath(first, ready.token))).status).toBe(200);
    await run(client, newRunId('second'));
    expect((await download(captureDownloadPath(first, ready.token))).status).toBe(404);
  });

  it('keeps the capture of a run the learner stopped', async () => {
    const { engine, connect, run, download } = await start();
    engine.stopFinishes = false;
    const client = await connect();
    const runId = newRunId();
    const fake = await run(client, runId);
    client.send({ type: 'stop', runId });
    await expect.poll(() => fake.calls).toContain('stop');
    const ready = await finishWithCapture(client, fake);
    expect((await download(captureDownloadPath(runId, ready.token))).status).toBe(200);
  });

  it('keeps no capture of a run the browser has replaced, and none with nothing in it', async () => {
    const { engine, connect, run } = await start();
    const client = await connect();
    const old = await run(client, newRunId('old'));
    engine.stopFinishes = false;
    await run(client, newRunId('new'));
    expect(old.capture({ bytes: PCAP, packets: 3, truncated: false })).toBe(true);
    const empty = engine.runs.at(-1)!;
    empty.capture({ bytes: PCAP.subarray(0, 24), packets: 0, truncated: false });
    empty.finish();
    old.finish();
    await client.finished(old.request.runId);
    await client.finished(empty.request.runId);
    expect(client.received.filter((m) => m.type === 'capture-ready')).toEqual([]);
  });

  it('lets allowed pages fetch it, refuses foreign ones and methods other than GET and HEAD', async () => {
    const { connect, run, download } = await start();
    const client = await connect();
    const runId = newRunId();
    const path = captureDownloadPath(
      runId,
      (await finishWithCapture(client, await run(client, runId))).token,
    );
    const allowed = await download(path, { headers: { origin: ORIGIN } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const foreign = await download(path, { headers: { origin: 'https://attacker.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const post = await download(path, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('asks for no capture and serves none when downloads are off', async () => {
    const { connect, run, download } = await start(false);
    const client = await connect();
    const runId = newRunId();
    const fake = await run(client, runId);
    expect(fake.capture({ bytes: PCAP, packets: 3, truncated: false })).toBe(false);
    fake.finish();
    expect((await client.finished(runId)).map((m) => m.type)).not.toContain('capture-ready');
    expect((await download(captureDownloadPath(runId, 'A'.repeat(22)))).status).toBe(404);
  });
});
