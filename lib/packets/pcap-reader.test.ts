import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pcapFile, toBigEndian } from './fixtures/builders.ts';
import { MAX_RECORD_BYTES, PcapReader, type PcapRecord } from './pcap-reader.ts';

const session = new Uint8Array(
  readFileSync(new URL('./fixtures/tcp-session.pcap', import.meta.url)),
);

/** Reads `file` in chunks of the given sizes (cycled), as a pipe would deliver it. */
function readInChunks(
  file: Uint8Array,
  sizes: number[],
): { reader: PcapReader; records: PcapRecord[] } {
  const reader = new PcapReader();
  const records: PcapRecord[] = [];
  for (let offset = 0, i = 0; offset < file.length; i++) {
    const size = sizes[i % sizes.length]!;
    records.push(...reader.push(file.subarray(offset, offset + size)));
    offset += size;
  }
  return { reader, records };
}

function summary(records: PcapRecord[]): Array<[number, number, number, string]> {
  return records.map((r) => [r.sec, r.nsec, r.origLen, Buffer.from(r.data).toString('hex')]);
}

describe('PcapReader', () => {
  it('reads the recorded capture: Ethernet link, 13 records with µs timestamps', () => {
    const reader = new PcapReader();
    const records = reader.push(session);
    expect(reader.header).toEqual({
      linkType: 1,
      snaplen: 1024,
      littleEndian: true,
      nanoseconds: false,
    });
    expect(records).toHaveLength(13);
    expect(records[0]!.nsec % 1000).toBe(0);
    expect(reader.leftoverBytes).toBe(0);
    expect(reader.error).toBeNull();
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const whole = summary(new PcapReader().push(session));
    for (const sizes of [[1], [7], [16], [23, 1, 2], [100, 3], [session.length]]) {
      expect(summary(readInChunks(session, sizes).records)).toEqual(whole);
    }
  });

  it('keeps each record exactly as stored, to write the capture back out', () => {
    const reader = new PcapReader();
    const { records } = readInChunks(session, [5, 11]);
    reader.push(session);
    const rebuilt = Buffer.concat([reader.headerBytes!, ...records.map((record) => record.raw)]);
    expect(rebuilt.equals(Buffer.from(session))).toBe(true);
  });

  it('reads a big-endian file like the little-endian one', () => {
    const big = toBigEndian(session);
    expect(big[0]).toBe(0xa1);
    const reader = new PcapReader();
    expect(summary(reader.push(big))).toEqual(summary(new PcapReader().push(session)));
    expect(reader.header?.littleEndian).toBe(false);
  });

  it('reads nanosecond timestamps in both byte orders', () => {
    const nano = new Uint8Array(readFileSync(new URL('./fixtures/udp-nano.pcap', import.meta.url)));
    for (const file of [nano, toBigEndian(nano)]) {
      const reader = new PcapReader();
      const records = reader.push(file);
      expect(reader.header?.nanoseconds).toBe(true);
      expect(records).toHaveLength(4);
    }
    const made = new PcapReader().push(
      pcapFile([new Uint8Array(1), new Uint8Array(1)], { nano: true, stepUs: 1234 }),
    );
    expect(made[1]!.nsec - made[0]!.nsec).toBe(1_234_000);
  });

  it('ends a file cut anywhere cleanly, counting the unfinished bytes', () => {
    const whole = new PcapReader().push(session);
    for (let cut = 0; cut < session.length; cut++) {
      const reader = new PcapReader();
      const records = reader.push(session.subarray(0, cut));
      expect(records.length).toBeLessThanOrEqual(whole.length);
      const headerBytes = cut >= 24 ? 24 : 0;
      const used = records.reduce((sum, r) => sum + r.raw.length, headerBytes);
      expect(reader.leftoverBytes).toBe(cut - used);
      expect(reader.error).toBeNull();
    }
  });

  it('refuses what is not a classic pcap, once, without throwing', () => {
    const text = new PcapReader();
    expect(text.push(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))).toEqual([]);
    expect(text.error).toBe('not a pcap file');
    expect(text.push(session)).toEqual([]);
    const pcapng = new PcapReader();
    pcapng.push(Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, ...new Array(28).fill(0)]));
    expect(pcapng.error).toBe('pcapng files are not supported');
  });

  it('stops at an impossible record length instead of buffering it', () => {
    const file = pcapFile([Uint8Array.from([1, 2, 3])]);
    new DataView(file.buffer).setUint32(24 + 8, MAX_RECORD_BYTES + 1, true);
    const reader = new PcapReader();
    expect(reader.push(file)).toEqual([]);
    expect(reader.error).toMatch(/corrupt capture/);
    expect(reader.leftoverBytes).toBe(0);
  });

  it('passes an empty record through', () => {
    const records = new PcapReader().push(pcapFile([new Uint8Array(0), Uint8Array.from([9])]));
    expect(records.map((r) => r.data.length)).toEqual([0, 1]);
  });

  it('survives random bytes after a valid header', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff;
    for (let round = 0; round < 200; round++) {
      const junk = Uint8Array.from({ length: 64 + (round % 50) * 13 }, random);
      const reader = new PcapReader();
      expect(() => reader.push(Buffer.concat([session.subarray(0, 24), junk]))).not.toThrow();
    }
  });
});
