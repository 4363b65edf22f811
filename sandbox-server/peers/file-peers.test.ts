import { createHash } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { FileReceiverOptions, FileSenderOptions } from '../../lib/lessons/peers.ts';
import type { PeerConfig, PeerGo } from './config.ts';
import { encodeHeader, parseHeader } from './file-header.ts';
import { runFileReceiver } from './file-receiver.ts';
import { runFileSender } from './file-sender.ts';
import type { PeerIo } from './peer-io.ts';
import { fileChunks, fileSha256 } from './seeded-file.ts';

type Report = { event: string } & Record<string, unknown>;
type Run = typeof runFileSender;

async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts a file peer with the run's seed 7; resolves once it listens, with its reports. */
async function start(peer: 'file-sender' | 'file-receiver', options: Record<string, unknown>) {
  const port = await freePort();
  const reports: Report[] = [];
  const go = Promise.resolve<PeerGo>({ seed: 7, lang: 'en' });
  const [schema, run]: [{ parse(o: unknown): unknown }, Run] =
    peer === 'file-sender'
      ? [FileSenderOptions, runFileSender]
      : [FileReceiverOptions, runFileReceiver];
  await new Promise<void>((resolve) => {
    const io: PeerIo = {
      say: () => {},
      report: (event, fields = {}) => {
        reports.push({ event, ...fields });
        if (event === 'listening') resolve();
      },
    };
    const config = { peer, name: peer, port, options: schema.parse(options) } as PeerConfig;
    run(config, io, go);
  });
  return { port, reports };
}

/** Connects, writes `data` (then FIN if `end`), and collects everything until the peer closes. */
async function exchange(port: number, data: Buffer[], end = false): Promise<Buffer> {
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  for (const piece of data) socket.write(piece);
  if (end) socket.end();
  await once(socket, 'close');
  return Buffer.concat(chunks);
}

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const header = (data: Buffer, name = 'a.bin') =>
  encodeHeader({ name, size: data.length, sha256: sha(data) });

describe('seeded files', () => {
  it('are the same bytes for the same seed and file, and differ otherwise', () => {
    const a = Buffer.concat([...fileChunks(7, 1, 100_000)]);
    expect(a).toHaveLength(100_000);
    expect(Buffer.concat([...fileChunks(7, 1, 100_000)]).equals(a)).toBe(true);
    expect(Buffer.concat([...fileChunks(7, 2, 100_000)]).equals(a)).toBe(false);
    expect(fileSha256(7, 1, 100_000)).toBe(sha(a));
  });
});

describe('file headers', () => {
  it('round-trip and refuse what is not a header', () => {
    const line = encodeHeader({ name: '山.bin', size: 3, sha256: 'AB' });
    expect(line.at(-1)).toBe(0x0a);
    expect(parseHeader(line.subarray(0, -1), 10)).toEqual({
      name: '山.bin',
      size: 3,
      sha256: 'ab',
    });
    expect(parseHeader(Buffer.from('a.bin 3'), 10)).toMatchObject({ reason: 'not-json' });
    expect(parseHeader(Buffer.from('{"name":"a","size":-1,"sha256":""}'), 10)).toMatchObject({
      reason: 'fields',
    });
    expect(parseHeader(Buffer.from('{"name":"a","size":11,"sha256":""}'), 10)).toEqual({
      reason: 'too-large',
      size: 11,
      max: 10,
    });
  });
});

describe('file-sender', () => {
  it('sends each file as a header line and exactly its bytes, as it reports', async () => {
    const { port, reports } = await start('file-sender', { sizes: [70_000, 5, 0] });
    const all = await exchange(port, []);
    const sent = reports.filter((report) => report.event === 'sent');
    expect(sent).toHaveLength(3);
    let at = 0;
    for (const report of sent) {
      const end = all.indexOf(0x0a, at);
      const parsed = JSON.parse(all.subarray(at, end).toString('utf8')) as Report;
      expect(parsed).toEqual({ name: report.name, size: report.size, sha256: report.sha256 });
      const body = all.subarray(end + 1, end + 1 + Number(report.size));
      expect(sha(body)).toBe(report.sha256);
      at = end + 1 + body.length;
    }
    expect(at).toBe(all.length);
    expect(String(sent[0]!.name)).toMatch(/^[a-z]+-[a-z0-9]{8}\.bin$/);
    expect(reports.some((report) => report.event === 'done')).toBe(true);
  });
});

describe('file-receiver', () => {
  const data = Buffer.concat([...fileChunks(1, 1, 300_000)]);

  it('answers OK with the hash of a whole file, however it is split, and reports it', async () => {
    const { port, reports } = await start('file-receiver', {});
    const whole = Buffer.concat([header(data), data]);
    const pieces = [whole.subarray(0, 5), whole.subarray(5, 200_000), whole.subarray(200_000)];
    const answer = await exchange(port, pieces);
    expect(answer.toString()).toBe(`OK ${sha(data)}\n`);
    expect(reports.find((report) => report.event === 'header')).toMatchObject({
      name: 'a.bin',
      size: data.length,
    });
    expect(reports.filter((report) => report.event === 'progress')).toHaveLength(3);
    const received = reports.find((report) => report.event === 'received');
    expect(received).toMatchObject({ ok: true, bytes: data.length, sha256: sha(data) });
    expect(received!.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('answers ERROR short when the connection ends before size bytes', async () => {
    const { port, reports } = await start('file-receiver', {});
    const answer = await exchange(port, [header(data), data.subarray(0, 1000)], true);
    expect(answer.toString()).toMatch(/^ERROR short: .* after 1000 of 300000 bytes\n$/);
    expect(reports.find((report) => report.event === 'received')).toMatchObject({
      ok: false,
      reason: 'short',
      bytes: 1000,
    });
  });

  it('gives up on a file that stops arriving', async () => {
    const { port, reports } = await start('file-receiver', { idleTimeoutMs: 200 });
    const answer = await exchange(port, [header(data), data.subarray(0, 1000)]);
    expect(answer.toString()).toMatch(/^ERROR short: nothing more came after 1000 of/);
    expect(reports.find((report) => report.event === 'received')).toMatchObject({
      reason: 'timeout',
    });
  });

  it('answers ERROR on a hash mismatch and counts bytes beyond size as extra', async () => {
    const { port, reports } = await start('file-receiver', {});
    const wrong = encodeHeader({ name: 'a', size: 4, sha256: sha(Buffer.from('abcd')) });
    const answer = await exchange(port, [wrong, Buffer.from('abceXYZ')], true);
    expect(answer.toString()).toMatch(
      /^ERROR sha256 mismatch: the bytes do not hash to [0-9a-f]{64}, as the header said\n$/,
    );
    expect(reports.find((report) => report.event === 'received')).toMatchObject({
      ok: false,
      reason: 'sha256-mismatch',
    });
    expect(reports.find((report) => report.event === 'extra')).toMatchObject({ bytes: 3 });
  });

  it('refuses a header that is not a JSON line', async () => {
    const { port, reports } = await start('file-receiver', {});
    const answer = await exchange(port, [Buffer.from('a.bin 4\nabcd')]);
    expect(answer.toString()).toMatch(/^ERROR bad header: not a JSON object/);
    expect(reports.find((report) => report.event === 'header-error')).toMatchObject({
      reason: 'not-json',
    });
  });
});
