import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Packet } from '../../lib/packets/packet.ts';
import { parsePcap } from '../../lib/packets/parse-pcap.ts';
import type { TruncationNotice } from './capture.ts';
import { CaptureSink, type SinkOptions } from './capture-sink.ts';

const session = new Uint8Array(
  readFileSync(new URL('../../lib/packets/fixtures/tcp-session.pcap', import.meta.url)),
);
const clean = { error: null, kernelDropped: 0 };

function sink(limits: Partial<SinkOptions> = {}) {
  const packets: Packet[] = [];
  const notices: TruncationNotice[] = [];
  let limitCalls = 0;
  const target = new CaptureSink({
    onPacket: (packet) => packets.push(packet),
    onTruncated: (notice) => notices.push(notice),
    onLimit: () => (limitCalls += 1),
    maxPackets: 10_000,
    maxPcapBytes: 1024 * 1024,
    ...limits,
  });
  return { target, packets, notices, limitCalls: () => limitCalls };
}

/** Feeds `bytes` in pipe-sized pieces of 100 bytes. */
function feed(target: CaptureSink, bytes: Uint8Array): void {
  for (let offset = 0; offset < bytes.length; offset += 100) {
    target.push(bytes.subarray(offset, offset + 100));
  }
}

describe('CaptureSink', () => {
  it('delivers every packet and keeps the stream as a valid pcap', () => {
    const { target, packets } = sink();
    feed(target, session);
    target.end();
    expect(packets).toHaveLength(13);
    expect(Buffer.from(target.store.bytes()).equals(Buffer.from(session))).toBe(true);
    expect(target.summary(clean)).toEqual({
      packets: 13,
      truncated: null,
      kernelDropped: 0,
      error: null,
    });
  });

  it('stops at the packet cap with one notice, keeping exactly what it delivered', () => {
    const { target, packets, notices, limitCalls } = sink({ maxPackets: 5 });
    feed(target, session);
    feed(target, session.subarray(24));
    expect(packets.map((p) => p.n)).toEqual([1, 2, 3, 4, 5]);
    expect(notices).toEqual([
      {
        packets: 5,
        limit: 'packets',
        notice: { code: 'capture-packet-limit', params: { packets: 5 } },
      },
    ]);
    expect(limitCalls()).toBe(1);
    expect(parsePcap(target.store.bytes()).packets).toEqual(packets);
    target.end();
    expect(target.summary(clean)).toMatchObject({ packets: 5, truncated: 'packets', error: null });
  });

  it('stops at the byte cap on a whole record', () => {
    const { target, packets, notices } = sink({ maxPcapBytes: 400 });
    feed(target, session);
    const kept = target.store.bytes();
    expect(kept.length).toBeLessThanOrEqual(400);
    expect(parsePcap(kept)).toMatchObject({ leftoverBytes: 0, error: null });
    expect(parsePcap(kept).packets).toEqual(packets);
    expect(notices).toMatchObject([{ limit: 'bytes', packets: packets.length }]);
  });

  it('times packets from the given origin', () => {
    const first = parsePcap(session, { originMs: 0 }).packets[0]!.t;
    const { target, packets } = sink({ originMs: first - 1000 });
    feed(target, session);
    expect(packets[0]!.t).toBeCloseTo(1000, 3);
  });

  it('reports a consumer that throws, a stream cut inside a record, and garbage', () => {
    const throwing = sink({
      onPacket: () => {
        throw new Error('boom');
      },
    });
    feed(throwing.target, session.subarray(0, session.length - 3));
    throwing.target.end();
    expect(throwing.target.summary(clean).error).toBe('onPacket failed: Error: boom');
    const cut = sink();
    feed(cut.target, session.subarray(0, session.length - 3));
    cut.target.end();
    expect(cut.target.summary(clean)).toMatchObject({
      packets: 12,
      error: 'the stream ended inside a record (79 bytes)',
    });
    const garbage = sink();
    feed(garbage.target, new TextEncoder().encode('tcpdump: not what you expected\n'.repeat(5)));
    expect(garbage.target.summary(clean)).toMatchObject({ packets: 0, error: 'not a pcap file' });
  });
});
