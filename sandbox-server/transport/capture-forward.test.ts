/**
 * Two sandbox servers behind one address: a capture run on one downloads from the other (it
 * fetches it from its owner), with the owner's headers; forged owners are never contacted; an
 * owner that is gone is a plain 404; a request passed on once is never passed on again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { captureDownloadPath, type ServerMessage } from '../../lib/protocol.ts';
import { SlotPool } from '../queue/slot-pool.ts';
import { sealCaptureToken } from './capture-owner.ts';
import { CAPTURE_GONE, FORWARDED_HEADER, PCAP_MEDIA_TYPE } from './capture-route.ts';
import { newRunId, ProtocolClient } from './client.ts';
import { FakeEngine } from './fake-engine.ts';
import { testTransportOptions } from './test-options.ts';
import { startSandboxServer, type SandboxServer } from './server.ts';

type Ready = Extract<ServerMessage, { type: 'capture-ready' }>;

const KEY = new Uint8Array(32).fill(3);
const PCAP = new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1, ...Array.from({ length: 40 }, (_, i) => i)]);
const open: Array<{ close(): Promise<void> | void }> = [];

afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A sandbox server on a fake engine whose captures are sealed with its own address. */
async function sandbox(): Promise<{ server: SandboxServer; engine: FakeEngine; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const engine = new FakeEngine();
  const server = await startSandboxServer(
    testTransportOptions({
      port,
      captures: { maxBytes: 1 << 20, ttlMs: 60_000, owner: { url: base, key: KEY } },
    }),
    {
      engine,
      pool: new SlotPool({ slots: 4, queueMax: 10 }),
      log: { info: () => {}, fault: () => {}, run: () => {} },
    },
  );
  open.push(server);
  return { server, engine, base };
}

/** Runs once on `at` and returns the run's id and its capture-ready. */
async function captureOn(at: Awaited<ReturnType<typeof sandbox>>) {
  const client = await ProtocolClient.connect(at.server.url, { timeoutMs: 5000 });
  open.push({ close: () => client.close() });
  const runId = newRunId();
  client.send({ type: 'run', runId, files: [{ name: 'main.py', content: 'print(1)' }] });
  const run = await at.engine.started(1);
  run.capture({ bytes: PCAP, packets: 2, truncated: false });
  run.finish();
  const ready = (await client.finished(runId)).find((e) => e.type === 'capture-ready') as Ready;
  return { runId, ready };
}

describe('capture downloads behind a load balancer', () => {
  it('serve a capture from the server that did not run it, with the owner’s headers', async () => {
    const [a, b] = [await sandbox(), await sandbox()];
    const { runId, ready } = await captureOn(a);
    const path = captureDownloadPath(runId, ready.token);
    const viaB = await fetch(`${b.base}${path}`, { headers: { origin: 'http://localhost:3000' } });
    expect(viaB.status).toBe(200);
    expect(viaB.headers.get('content-type')).toBe(PCAP_MEDIA_TYPE);
    expect(viaB.headers.get('content-disposition')).toBe(
      `attachment; filename="handshake-run-${runId}.pcap"`,
    );
    expect(viaB.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(new Uint8Array(await viaB.arrayBuffer())).toEqual(PCAP);
    const head = await fetch(`${b.base}${path}`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(PCAP.length)]);
    expect((await fetch(`${a.base}${path}`)).status).toBe(200);
  });

  it('never contacts an address from a token it did not seal', async () => {
    const b = await sandbox();
    let hits = 0;
    const bait: Server = createServer((_req, res) => {
      hits += 1;
      res.end('secret');
    });
    await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise<void>((resolve) => bait.close(() => resolve())) });
    const baitUrl = `http://127.0.0.1:${(bait.address() as AddressInfo).port}`;
    const forged = sealCaptureToken('f'.repeat(22), { url: baitUrl, key: new Uint8Array(32) });
    const response = await fetch(`${b.base}${captureDownloadPath(newRunId(), forged)}`);
    expect([response.status, await response.text()]).toEqual([404, CAPTURE_GONE]);
    expect(hits).toBe(0);
  });

  it('says the capture is gone when its owner is gone, and passes a request on only once', async () => {
    const [a, b] = [await sandbox(), await sandbox()];
    const { runId, ready } = await captureOn(a);
    const path = captureDownloadPath(runId, ready.token);
    const once = await fetch(`${b.base}${path}`, { headers: { [FORWARDED_HEADER]: '1' } });
    expect([once.status, await once.text()]).toEqual([404, CAPTURE_GONE]);
    await a.server.close();
    const gone = await fetch(`${b.base}${path}`);
    expect([gone.status, await gone.text()]).toEqual([404, CAPTURE_GONE]);
  });
});
