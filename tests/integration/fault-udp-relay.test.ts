/**
 * udp-relay in real runs (issue 4): a seeded loss that drops exactly the same datagrams every
 * time the seed is the same (and others for another seed), `fault` events that name exactly the
 * datagrams lost, and a capture that agrees; a seeded reorder and duplication seen in the order
 * the learner's client receives.
 */
import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../lib/notices/catalog.ts';
import type { LessonDefinition, RecordedFault } from '../../lib/lessons/define.ts';
import { DatagramFaults, streamSeed } from '../../sandbox-server/peers/fault-plan.ts';
import { MAX_FAULT_LINES, MAX_FAULT_REPORTS } from '../../sandbox-server/peers/fault-log.ts';
import { mixSeed } from '../../sandbox-server/peers/prng.ts';
import { MAX_RECORD_FAULTS } from '../../sandbox-server/run/run-faults.ts';
import { REORDER_HOLD_MS } from '../../sandbox-server/peers/udp-relay.ts';
import {
  eventOf,
  expectNothingLeft,
  outputOf,
  py,
  runFiles,
  type TestRun,
} from './sandbox-harness.ts';
import { NUMBERED_UDP_CLIENT } from './fault-clients.ts';

const CLIENT = NUMBERED_UDP_CLIENT;

const lossy = (options: Record<string, unknown>): LessonDefinition => ({
  processes: [
    { peer: 'udp-echo', name: 'echo', port: 9001 },
    { peer: 'udp-relay', name: 'relay', port: 9000, options: { target: 9001, ...options } },
    { file: 'client.py' },
  ],
});

/** The numbers the client printed. */
function received(run: TestRun): number[] {
  const line = /^got \[(.*)\]$/m.exec(outputOf(run, 'client.py'));
  if (!line) throw new Error(`no "got" line in ${JSON.stringify(outputOf(run, 'client.py'))}`);
  return line[1] ? line[1].split(', ').map(Number) : [];
}

/** The numbers in the order udp-echo received them. */
function echoed(run: TestRun): number[] {
  return run.record.reports
    .filter((report) => report.process === 'peer:echo' && report.event === 'received')
    .map((report) => Number(String(report.data).split(' ')[1]));
}

const towardTarget = (fault: RecordedFault) => fault.to === '127.0.0.1:9000';

describe('udp-relay with loss 0.3', () => {
  const SEED = 42;

  it('drops exactly the datagrams its seed decides, and the fault events name them', async () => {
    const run = await runFiles(
      { 'client.py': CLIENT },
      { lesson: lossy({ loss: 0.3 }), seed: SEED },
    );
    expect(eventOf(run, 'run-started').seed).toBe(SEED);
    expect(run.record.seed).toBe(SEED);
    expect(received(run)).toEqual([2, 3, 6, 8, 9, 14, 16, 18, 19]);

    const faults = run.record.faults;
    expect(faults.every((f) => f.action === 'dropped' && f.process === 'peer:relay')).toBe(true);
    expect(faults.every((fault) => fault.proto === 'udp' && fault.bytes === 6)).toBe(true);
    const lostGoing = faults.filter(towardTarget);
    const lostComing = faults.filter((fault) => !towardTarget(fault));
    // On the way there, the index is the client's datagram number.
    expect(lostGoing.map((fault) => fault.index)).toEqual([1, 5, 7, 11, 12, 13]);
    expect(new Set(lostGoing.map((fault) => fault.from)).size).toBe(1);
    // On the way back, the index counts the echo's replies: the k-th number the echo saw.
    expect(lostComing.map((fault) => fault.index)).toEqual([3, 7, 9, 11, 14]);
    expect(lostComing.every((fault) => fault.from === '127.0.0.1:9001')).toBe(true);
    expect(echoed(run)).toEqual([2, 3, 4, 6, 8, 9, 10, 14, 15, 16, 17, 18, 19, 20]);
    const named = [
      ...lostGoing.map((fault) => fault.index),
      ...lostComing.map((fault) => echoed(run)[fault.index - 1]!),
    ].sort((a, b) => a - b);
    const missing = Array.from({ length: 20 }, (_, i) => i + 1).filter(
      (number) => !received(run).includes(number),
    );
    expect(named).toEqual(missing);

    // The same decisions, from the relay's seed (its place in the start order mixed in).
    const relaySeed = mixSeed(SEED, 1);
    const plan = new DatagramFaults(streamSeed(relaySeed, 1, 'to-target'), {
      loss: 0.3,
      duplicate: 0,
      reorder: 0,
      delayMs: 0,
      jitterMs: 0,
    });
    const planned = Array.from({ length: 20 }, () => plan.next().drop).flatMap((drop, i) =>
      drop ? [i + 1] : [],
    );
    expect(planned).toEqual([1, 5, 7, 11, 12, 13]);

    // The capture agrees: all 20 reached the relay, only the others left it for the echo.
    const packets = run.record.packets ?? [];
    const toRelay = packets.filter((p) => p.proto === 'udp' && p.dport === 9000);
    expect(toRelay.map((p) => p.preview)).toEqual(
      Array.from({ length: 20 }, (_, i) => `msg ${String(i + 1).padStart(2, '0')}`),
    );
    const toEcho = packets.filter((p) => p.proto === 'udp' && p.dport === 9001);
    expect(toEcho.map((p) => Number(p.preview!.split(' ')[1]))).toEqual(echoed(run));
    expect(toEcho.every((p) => p.srcOwner === 'peer:relay')).toBe(true);
    expect(outputOf(run, 'peer:relay')).toContain(`relay: faults drawn from seed ${relaySeed}\n`);
    expectNothingLeft(run.info);
  });

  it('drops the same datagrams when the run is repeated with its seed, and others for another', async () => {
    const again = await runFiles(
      { 'client.py': CLIENT },
      { lesson: lossy({ loss: 0.3 }), seed: SEED, lang: 'zh' },
    );
    expect(received(again)).toEqual([2, 3, 6, 8, 9, 14, 16, 18, 19]);
    expect(lostIndices(again)).toEqual({
      going: [1, 5, 7, 11, 12, 13],
      coming: [3, 7, 9, 11, 14],
    });
    // A Chinese learner's run: the go line told the relay, which writes its faults in Chinese.
    const log = outputOf(again, 'peer:relay');
    expect(log).toMatch(
      /^relay: 丢弃了来自 127\.0\.0\.1:\d+ 的第 1 个数据报（6 字节），它正发往 127\.0\.0\.1:9001$/m,
    );
    expect(log).not.toContain('dropped datagram');
    const other = await runFiles(
      { 'client.py': CLIENT },
      { lesson: lossy({ loss: 0.3 }), seed: 7 },
    );
    expect(eventOf(other, 'run-started').seed).toBe(7);
    expect(received(other)).not.toEqual([2, 3, 6, 8, 9, 14, 16, 18, 19]);
    expect(lostIndices(other)).not.toEqual(lostIndices(again));
    expectNothingLeft(other.info);
  });
});

describe('udp-relay with duplication and reordering toward the target', () => {
  it('delivers the datagrams in the order and number its fixed seed decides', async () => {
    // Seed 11 also holds back the last datagram, with none to follow it.
    const options = { duplicate: 0.2, reorder: 0.2, direction: 'to-target', seed: 11 };
    // A seed in the lesson wins over the run's: these two runs have different run seeds.
    const runs = [
      await runFiles({ 'client.py': CLIENT }, { lesson: lossy(options), seed: 1 }),
      await runFiles({ 'client.py': CLIENT }, { lesson: lossy(options), seed: 2 }),
    ];
    const expected = [
      1, 3, 3, 2, 4, 5, 6, 7, 9, 8, 10, 12, 11, 14, 13, 13, 15, 16, 17, 17, 18, 19, 20,
    ];
    expect(simulate(11, { ...options, loss: 0 })).toEqual(expected);
    for (const run of runs) {
      expect(received(run)).toEqual(expected);
      const faults = run.record.faults;
      const indices = (action: string) =>
        faults.filter((fault) => fault.action === action).map((fault) => fault.index);
      expect(indices('duplicated').sort((a, b) => a - b)).toEqual([3, 13, 17]);
      expect(indices('reordered')).toEqual([2, 8, 11, 13]);
      // The last one held back had nothing to pass: it left late instead.
      expect(indices('delayed')).toEqual([20]);
      expect(faults.find((fault) => fault.action === 'delayed')).toMatchObject({
        delayMs: REORDER_HOLD_MS,
      });
      expect(faults.every(towardTarget)).toBe(true);
      const reordered = faults.find((fault) => fault.action === 'reordered')!;
      expect(reordered.note).toEqual({
        code: 'fault-datagram-reordered',
        params: { index: 2, from: expect.stringMatching(/^127\.0\.0\.1:\d+$/), after: 3 },
      });
      expect(renderNotice(reordered.note, 'en')).toMatch(
        /^held back datagram #2 from 127\.0\.0\.1:\d+ and sent it after #3$/,
      );
    }
    expectNothingLeft(runs[1]!.info);
  });
});

describe('udp-relay with a delay and a bandwidth limit toward the target', () => {
  it('holds each datagram back by its delay and paces them at the rate', async () => {
    // 600 B/s: each 6-byte datagram takes 10 ms of the link, then waits 50 ms more.
    const options = { delayMs: 50, bandwidthBytesPerSecond: 600, direction: 'to-target' };
    const run = await runFiles({ 'client.py': CLIENT }, { lesson: lossy(options), seed: 3 });
    expect(received(run)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const delayed = run.record.faults.filter((fault) => fault.action === 'delayed');
    expect(delayed.map((fault) => [fault.index, fault.delayMs])).toEqual(
      Array.from({ length: 20 }, (_, i) => [i + 1, 50]),
    );
    expect(run.record.faults).toHaveLength(20);
    const packets = run.record.packets ?? [];
    const arrivedAt = packets.find((p) => p.dport === 9000)!.t;
    const left = packets.filter((p) => p.proto === 'udp' && p.dport === 9001);
    expect(left).toHaveLength(20);
    // Lower bounds only (a timer may fire late on a busy machine, never early).
    left.forEach((packet, i) => {
      expect(packet.t - arrivedAt, `datagram ${i + 1}`).toBeGreaterThanOrEqual(
        50 + 10 * (i + 1) - 2,
      );
    });
    expectNothingLeft(run.info);
  });
});

describe('udp-relay under a flood', () => {
  it('reports a bounded number of faults, then one notice, and logs fewer still', async () => {
    const flood = py`
      import socket, time
      sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      for number in range(4000):
          sock.sendto(b"flood %04d" % number, ("127.0.0.1", 9000))
          if number % 5 == 0:
              time.sleep(0.001)  # let the relay keep up: the kernel would drop the rest
      print("sent")
      time.sleep(2)  # the run ends soon after its learner programs: give the relay time to drain
    `;
    const run = await runFiles({ 'client.py': flood }, { lesson: lossy({ loss: 1 }) });
    expect(outputOf(run, 'client.py')).toBe('sent\n');
    const faults = run.events.filter((event) => event.type === 'fault');
    expect(faults).toHaveLength(MAX_FAULT_REPORTS);
    expect(run.events.filter((event) => event.type === 'faults-truncated')).toEqual([
      expect.objectContaining({
        faults: MAX_FAULT_REPORTS,
        notice: { code: 'faults-truncated', params: { faults: MAX_FAULT_REPORTS } },
      }),
    ]);
    expect(run.record.faults).toHaveLength(MAX_RECORD_FAULTS);
    expect(run.record.reports.some((report) => report.event.startsWith('fault'))).toBe(false);
    const log = outputOf(run, 'peer:relay');
    expect(log.match(/relay: dropped datagram/g)).toHaveLength(MAX_FAULT_LINES);
    expect(log).toContain(
      `relay: more faults follow; only the first ${MAX_FAULT_LINES} are written here\n`,
    );
    expectNothingLeft(run.info);
  });
});

/** The indices lost on the way to the target and on the way back. */
function lostIndices(run: TestRun): { going: number[]; coming: number[] } {
  const lost = run.record.faults.filter((fault) => fault.action === 'dropped');
  return {
    going: lost.filter(towardTarget).map((fault) => fault.index),
    coming: lost.filter((fault) => !towardTarget(fault)).map((fault) => fault.index),
  };
}

/** What the relay sends on for 20 datagrams, by the plan alone (the flow's first stream). */
function simulate(
  seed: number,
  options: { loss: number; duplicate: number; reorder: number },
): number[] {
  const faults = new DatagramFaults(streamSeed(seed, 1, 'to-target'), {
    ...options,
    delayMs: 0,
    jitterMs: 0,
  });
  const out: number[] = [];
  let held: { number: number; copies: number } | null = null;
  for (let number = 1; number <= 20; number++) {
    const fate = faults.next();
    if (fate.drop) continue;
    const copies = fate.duplicate ? 2 : 1;
    if (fate.reorder && !held) {
      held = { number, copies };
      continue;
    }
    for (let copy = 0; copy < copies; copy++) out.push(number);
    if (held) for (let copy = 0; copy < held.copies; copy++) out.push(held.number);
    held = null;
  }
  if (held) for (let copy = 0; copy < held.copies; copy++) out.push(held.number);
  return out;
}
