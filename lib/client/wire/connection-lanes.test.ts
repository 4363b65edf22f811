import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pcapFile, tcpFrame } from '../../packets/fixtures/builders.ts';
import type { TcpFlag } from '../../packets/packet.ts';
import { parsePcap } from '../../packets/parse-pcap.ts';
import {
  axisTicks,
  connectionLanes,
  dataRuns,
  laneNames,
  peakServed,
  servedOverlaps,
  timeSpan,
} from './connection-lanes.ts';
import { defaultOwnerLabel, endpointLabel } from './endpoints.ts';
import { syntheticCapture } from './synthetic-capture.ts';

function fixture(name: string) {
  const bytes = readFileSync(new URL(`../../packets/fixtures/${name}`, import.meta.url));
  return parsePcap(new Uint8Array(bytes)).packets;
}

/** A frame of client port `port` talking to server port 5000, with absolute numbers. */
function segment(port: number, fromClient: boolean, flags: TcpFlag[], seq: number, ack: number) {
  return (payload = '') =>
    tcpFrame({
      sport: fromClient ? port : 5000,
      dport: fromClient ? 5000 : port,
      flags,
      seq,
      ack,
      payload,
    });
}

/** The frames of one short connection from `port`: handshake, a line each way, FIN both ways. */
function conversation(port: number, line: string): Uint8Array[] {
  const n = line.length;
  return [
    segment(port, true, ['SYN'], 100, 0)(),
    segment(port, false, ['SYN', 'ACK'], 500, 101)(),
    segment(port, true, ['ACK'], 101, 501)(),
    segment(port, true, ['PSH', 'ACK'], 101, 501)(line),
    segment(port, false, ['PSH', 'ACK'], 501, 101 + n)(line),
    segment(port, true, ['FIN', 'ACK'], 101 + n, 501 + n)(),
    segment(port, false, ['FIN', 'ACK'], 501 + n, 102 + n)(),
    segment(port, true, ['ACK'], 102 + n, 502 + n)(),
  ];
}

describe('connectionLanes', () => {
  it('follows a recorded session from accept to both FINs', () => {
    const packets = fixture('tcp-session.pcap');
    const [lane, ...rest] = connectionLanes(packets);
    expect(rest).toEqual([]);
    const handshakeAck = packets[2]!;
    expect(lane!.accepted).toBe(handshakeAck.t);
    const data = packets.filter((p) => p.len > 0);
    expect(lane!.firstByte).toBe(data[0]!.t);
    expect(lane!.lastByte).toBe(data.at(-1)!.t);
    expect(lane!.bytes.ab + lane!.bytes.ba).toBe(data.reduce((sum, p) => sum + p.len, 0));
    expect(lane!.fin.a).not.toBeNull();
    expect(lane!.fin.b).not.toBeNull();
    expect(lane!.closed).toBe(Math.max(lane!.fin.a!, lane!.fin.b!));
    expect(lane!.reset).toBeNull();
  });

  it('shows a refused connection as reset by the server, never accepted', () => {
    const [lane] = connectionLanes(fixture('tcp-refused.pcap'));
    expect(lane!.accepted).toBeNull();
    expect(lane!.reset?.by).toBe('b');
    expect(lane!.closed).toBe(lane!.reset!.t);
    expect(lane!.data).toEqual([]);
  });

  it('groups interleaved packets into one lane per 4-tuple, each with its own bytes', () => {
    const lines = ['one\n', 'two two\n', 'three three three\n'];
    const streams = lines.map((line, i) => conversation(41000 + i, line));
    // Round robin: every connection's packets mixed with the others'.
    const frames = streams[0]!.flatMap((_, k) => streams.map((stream) => stream[k]!));
    const packets = parsePcap(pcapFile(frames)).packets;
    const lanes = connectionLanes(packets);
    expect(lanes.map((lane) => lane.a.port)).toEqual([41000, 41001, 41002]);
    expect(lanes.map((lane) => lane.b.port)).toEqual([5000, 5000, 5000]);
    expect(lanes.map((lane) => lane.bytes)).toEqual(
      lines.map((line) => ({ ab: line.length, ba: line.length })),
    );
    expect(lanes.every((lane) => lane.data.length === 2 && lane.closed !== null)).toBe(true);
    // One reply each, but every server FIN comes after all the replies: served at once.
    expect(peakServed(lanes)).toBe(3);
    expect(servedOverlaps(lanes)).toEqual([2, 2, 2]);
    // The same conversations one after another: each closed before the next is answered.
    const serial = connectionLanes(parsePcap(pcapFile(streams.flat())).packets);
    expect(peakServed(serial)).toBe(1);
    expect(servedOverlaps(serial)).toEqual([0, 0, 0]);
    expect(serial.map((lane) => lane.served!.to)).toEqual(serial.map((lane) => lane.fin.b));
  });

  it('does not count a retransmission or a dropped segment twice', () => {
    const packets = syntheticCapture({ connections: 1, exchanges: 2 });
    const first = packets.find((p) => p.len > 0)!;
    const again = [...packets, { ...first, n: 99, t: 50, retrans: true as const }];
    const lost = [...packets, { ...first, n: 99, t: 50, dropped: true as const }];
    const bytes = connectionLanes(packets)[0]!.bytes;
    expect(connectionLanes(again)[0]!.bytes).toEqual(bytes);
    expect(connectionLanes(lost)[0]!.bytes).toEqual(bytes);
  });

  it('tells 100 connections served one after another from 100 served at once', () => {
    const shape = { connections: 100, exchanges: 3, burst: 2 };
    const sequential = connectionLanes(syntheticCapture(shape));
    const interleaved = connectionLanes(syntheticCapture({ ...shape, order: 'interleaved' }));
    for (const lanes of [sequential, interleaved]) {
      expect(lanes).toHaveLength(100);
      expect(lanes.map((lane) => lane.conn)).toEqual(lanes.map((_, i) => i + 1));
      expect(lanes.every((lane) => lane.accepted !== null && lane.closed !== null)).toBe(true);
    }
    const lane = sequential[41]!;
    const expected = [0, 1, 2].reduce((sum, e) => sum + `line ${e} of 42\n`.length, 0);
    expect(lane.bytes).toEqual({ ab: expected + 2 * 1448, ba: expected });
    expect(lane.a.owner).toBe('client.py');
    expect(lane.b.owner).toBe('server.py');
    expect(servedOverlaps(sequential).every((n) => n === 0)).toBe(true);
    expect(peakServed(sequential)).toBe(1);
    expect(servedOverlaps(interleaved).every((n) => n === 99)).toBe(true);
    expect(peakServed(interleaved)).toBe(100);
    // In order of service: each sequential lane is accepted after the one before it closed.
    for (let i = 1; i < 100; i++)
      expect(sequential[i]!.accepted!).toBeGreaterThan(sequential[i - 1]!.closed!);
  });

  it('orders the lanes’ times: opened ≤ accepted ≤ first byte ≤ last byte ≤ closed', () => {
    for (const lane of connectionLanes(syntheticCapture({ connections: 5, exchanges: 2 }))) {
      const times = [lane.first, lane.accepted, lane.firstByte, lane.lastByte, lane.closed];
      expect(times).toEqual([...times].sort((x, y) => x! - y!));
    }
  });
});

describe('lane helpers', () => {
  it('merges a burst into one bar per direction, split by gaps', () => {
    const runs = dataRuns(
      [
        { t: 1, dir: 'ab', bytes: 10 },
        { t: 1.5, dir: 'ba', bytes: 3 },
        { t: 2, dir: 'ab', bytes: 10 },
        { t: 9, dir: 'ab', bytes: 5 },
      ],
      1,
    );
    expect(runs).toEqual([
      { dir: 'ab', from: 1, to: 2, bytes: 20, segments: 2 },
      { dir: 'ba', from: 1.5, to: 1.5, bytes: 3, segments: 1 },
      { dir: 'ab', from: 9, to: 9, bytes: 5, segments: 1 },
    ]);
  });

  it('spans the first packet to the last and puts round ticks on it', () => {
    const lanes = connectionLanes(syntheticCapture({ connections: 3, exchanges: 1 }));
    const span = timeSpan(lanes);
    expect(span.start).toBe(lanes[0]!.first);
    expect(span.end).toBe(lanes[2]!.last);
    expect(axisTicks(0, 1000, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(axisTicks(0.03, 0.95, 4)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(axisTicks(3, 3, 5)).toEqual([3]);
  });

  it('names lanes by owner, numbering a client that opened several', () => {
    const lanes = connectionLanes(syntheticCapture({ connections: 3, exchanges: 1 }));
    const label = (owner: string) => (owner === 'client.py' ? 'peer: crowd' : owner);
    const names = laneNames(lanes, (end) => endpointLabel(end, label).label);
    expect(names).toEqual([
      { client: 'peer: crowd #1', server: 'server.py' },
      { client: 'peer: crowd #2', server: 'server.py' },
      { client: 'peer: crowd #3', server: 'server.py' },
    ]);
    const one = laneNames(lanes.slice(0, 1), (end) => endpointLabel(end, defaultOwnerLabel).label);
    expect(one).toEqual([{ client: 'client.py', server: 'server.py' }]);
  });
});
