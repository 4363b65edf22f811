/**
 * tcp-proxy in real runs (issue 4): with `chunkBytes` a message arrives in small segments, so a
 * client that calls recv once gets part of it while one that loops until the newline gets it
 * whole (the capture shows the segments, one per `split` fault); a half-close waits for what is
 * still queued; `resetAfterBytes` makes the learner see ConnectionResetError.
 */
import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../lib/notices/catalog.ts';
import type { LessonDefinition, RecordedPacket } from '../../lib/lessons/define.ts';
import { eventOf, expectNothingLeft, outputOf, py, runFiles } from './sandbox-harness.ts';

const MESSAGE = 'the quick brown fox jumps over the lazy dog\n';

const proxied = (options: Record<string, unknown>, files: string[]): LessonDefinition => ({
  processes: [
    { peer: 'tcp-echo', name: 'echo', port: 9001 },
    { peer: 'tcp-proxy', name: 'proxy', port: 9000, options: { target: 9001, ...options } },
    ...files.map((file) => ({ file })),
  ],
});

/** The classic framing mistake: one recv is taken for one message. */
const NAIVE = py`
  import socket
  with socket.create_connection(("127.0.0.1", 9000)) as sock:
      sock.sendall(${JSON.stringify(MESSAGE)}.encode())
      print("naive", repr(sock.recv(1024).decode()))
`;

/** Reads until the newline that ends the message. */
const FRAMED = py`
  import socket
  with socket.create_connection(("127.0.0.1", 9000)) as sock:
      sock.sendall(${JSON.stringify(MESSAGE)}.encode())
      data = b""
      while not data.endswith(b"\\n"):
          chunk = sock.recv(1024)
          if not chunk:
              break
          data += chunk
      print("framed", repr(data.decode()))
`;

/** Sends, closes its sending side at once, and reads until the other side closes too. */
const HALF_CLOSE = py`
  import socket
  with socket.create_connection(("127.0.0.1", 9000)) as sock:
      sock.sendall(${JSON.stringify(MESSAGE)}.encode())
      sock.shutdown(socket.SHUT_WR)
      data = b""
      while chunk := sock.recv(1024):
          data += chunk
      print("until eof", repr(data.decode()))
`;

const isData = (packet: RecordedPacket) => packet.proto === 'tcp' && packet.len > 0;

describe('tcp-proxy with chunkBytes 3', () => {
  it('gives one recv a part of the message, a loop the whole, and a half-close all before its FIN', async () => {
    const files = ['naive.py', 'framed.py', 'half.py'];
    const run = await runFiles(
      { 'naive.py': NAIVE, 'framed.py': FRAMED, 'half.py': HALF_CLOSE },
      // 20 ms between segments: the 44-byte message takes 15 segments and ~300 ms to arrive.
      { lesson: proxied({ chunkBytes: 3, chunkGapMs: 20 }, files), seed: 5 },
    );
    const naive = /^naive '(.*)'$/m.exec(outputOf(run, 'naive.py'))?.[1] ?? '';
    expect(naive.length).toBeGreaterThan(0);
    expect(naive.length).toBeLessThan(MESSAGE.length - 1);
    expect(MESSAGE.startsWith(naive)).toBe(true);
    expect(outputOf(run, 'framed.py')).toBe(
      `framed ${JSON.stringify(MESSAGE).replace(/"/g, "'")}\n`,
    );
    expect(outputOf(run, 'half.py')).toBe(
      `until eof ${JSON.stringify(MESSAGE).replace(/"/g, "'")}\n`,
    );
    // The echo got both whole messages, and the start of the naive client's (which closed with
    // the rest of its echo unread: its RST cut the connection short). How its reads were cut is
    // up to its timing; what went on the wire is not:
    // Per connection: the three clients' segments may interleave, however the machine is busy.
    const echoed = new Map<unknown, string>();
    for (const r of run.record.reports)
      if (r.process === 'peer:echo' && r.event === 'received')
        echoed.set(r.from, (echoed.get(r.from) ?? '') + String(r.data));
    expect([...echoed.values()].filter((data) => data === MESSAGE).length).toBeGreaterThanOrEqual(
      2,
    );

    // The capture: many small data segments from the proxy to the echo, one per split fault.
    const packets = run.record.packets ?? [];
    // A retransmission (a tail-loss probe when ACKs are late on a busy machine) is the same
    // segment again, not another write: one split fault stands for the first copy only.
    const toEcho = packets.filter((p) => isData(p) && p.dport === 9001 && !p.retrans);
    expect(toEcho.length).toBeGreaterThanOrEqual(2 * 15);
    expect(toEcho.every((p) => p.len <= 3 && p.srcOwner === 'peer:proxy')).toBe(true);
    const splits = run.record.faults.filter(
      (f) => f.action === 'split' && f.to === '127.0.0.1:9001',
    );
    expect(splits.length).toBe(toEcho.length);
    for (const fault of splits) {
      const port = Number(fault.from.split(':')[1]);
      const segments = toEcho.filter((p) => p.sport === port);
      expect(segments[fault.index - 1]?.len, JSON.stringify(fault.note)).toBe(fault.bytes);
    }
    expect(renderNotice(splits[0]!.note, 'en')).toMatch(
      /^sent segment #1 from 127\.0\.0\.1:\d+ \(3 bytes\) alone: piece 1 of 15 of a 44-byte read \(chunkBytes 3\)$/,
    );
    expect(eventOf(run, 'run-finished')).toMatchObject({ reason: 'completed' });
    expectNothingLeft(run.info);
  });
});

describe('tcp-proxy with a jittered delay', () => {
  it('delays every segment yet keeps the stream in order', async () => {
    const run = await runFiles(
      { 'framed.py': FRAMED },
      {
        lesson: proxied({ chunkBytes: 4, delayMs: 30, jitterMs: 25, direction: 'to-target' }, [
          'framed.py',
        ]),
        seed: 11,
      },
    );
    expect(outputOf(run, 'framed.py')).toBe(
      `framed ${JSON.stringify(MESSAGE).replace(/"/g, "'")}\n`,
    );
    const delayed = run.record.faults.filter((f) => f.action === 'delayed');
    // 44 bytes in 4-byte pieces, each with its own delay from 5 to 55 ms; none the other way.
    expect(delayed.map((f) => f.index)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(
      delayed.every((f) => f.delayMs! >= 5 && f.delayMs! <= 55 && f.to === '127.0.0.1:9001'),
    ).toBe(true);
    expect(new Set(delayed.map((f) => f.delayMs)).size).toBeGreaterThan(1);
    const echoed = run.record.reports
      .filter((r) => r.process === 'peer:echo' && r.event === 'received')
      .map((r) => r.data)
      .join('');
    expect(echoed).toBe(MESSAGE);
    expectNothingLeft(run.info);
  });
});

describe('tcp-proxy with resetAfterBytes', () => {
  it('resets both connections once the bytes have passed: the learner sees ConnectionResetError', async () => {
    const client = py`
      import socket
      with socket.create_connection(("127.0.0.1", 9000)) as sock:
          try:
              sock.sendall(b"hello handshake\\n")
              while sock.recv(100):
                  pass
              print("closed cleanly")
          except ConnectionResetError as error:
              print("reset:", error)
    `;
    const run = await runFiles(
      { 'client.py': client },
      { lesson: proxied({ resetAfterBytes: 5 }, ['client.py']) },
    );
    expect(outputOf(run, 'client.py')).toBe('reset: [Errno 104] Connection reset by peer\n');
    // Asked for no seed: the run picked one, told it, and kept it in the record.
    const { seed } = eventOf(run, 'run-started');
    expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff).toBe(true);
    expect(run.record.seed).toBe(seed);
    // The echo got exactly the bytes before the limit, then the reset.
    const echo = run.record.reports.filter((r) => r.process === 'peer:echo');
    expect(
      echo
        .filter((r) => r.event === 'received')
        .map((r) => r.data)
        .join(''),
    ).toBe('hello');
    const resets = run.record.faults.filter((f) => f.action === 'reset');
    // One RST to each side: the client first, then the echo.
    expect(resets.map((f) => f.to)).toEqual([
      expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      '127.0.0.1:9001',
    ]);
    expect(resets.every((f) => f.proto === 'tcp' && f.process === 'peer:proxy')).toBe(true);
    expect(resets[0]!.note).toMatchObject({
      code: 'fault-reset-after-bytes',
      params: { bytes: 5, resetAfterBytes: 5 },
    });
    expect(renderNotice(resets[0]!.note, 'en')).toContain('5 bytes went from 127.0.0.1:');
    // The capture holds the proxy's RST to the client.
    const toClient = resets.find((f) => f.from === '127.0.0.1:9000')!;
    const clientPort = Number(toClient.to.split(':')[1]);
    const rsts = (run.record.packets ?? []).filter(
      (p) =>
        p.proto === 'tcp' && p.flags?.includes('RST') && p.sport === 9000 && p.dport === clientPort,
    );
    expect(rsts.length).toBeGreaterThanOrEqual(1);
    expectNothingLeft(run.info);
  });
});
