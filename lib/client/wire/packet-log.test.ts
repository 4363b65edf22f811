import { describe, expect, it } from 'vitest';
import type { FaultEvent, FaultNote } from '../../protocol.ts';
import { MAX_KEPT_PACKETS, PacketLog } from './packet-log.ts';
import { fromPacketEvent } from './wire-packet.ts';
import type { WirePacket } from './wire-packet.ts';

const packet = (n: number): WirePacket => ({
  n,
  t: n,
  proto: 'udp',
  src: '127.0.0.1',
  dst: '127.0.0.1',
  len: 4,
});

describe('PacketLog', () => {
  it('appends packets, tells subscribers, and keeps one snapshot object per change', () => {
    const log = new PacketLog();
    let calls = 0;
    const unsubscribe = log.subscribe(() => calls++);
    const before = log.snapshot();
    expect(log.snapshot()).toBe(before);
    log.push(packet(1));
    log.push(packet(2));
    const after = log.snapshot();
    expect(after).not.toBe(before);
    expect(after.packets.map((p) => p.n)).toEqual([1, 2]);
    expect(after.version).toBe(before.version + 2);
    expect(calls).toBe(2);
    unsubscribe();
    log.reset();
    expect(calls).toBe(2);
    expect(log.snapshot().packets).toEqual([]);
  });

  it('marks a packet a relay reported dropped', () => {
    const log = new PacketLog();
    log.push(packet(1));
    log.push(packet(2));
    log.markDropped(2);
    log.markDropped(9);
    expect(log.snapshot().packets.map((p) => p.dropped ?? false)).toEqual([false, true]);
  });

  it('stops keeping packets past its memory guard', () => {
    const log = new PacketLog();
    for (let n = 1; n <= MAX_KEPT_PACKETS + 5; n++) log.push(packet(n));
    expect(log.snapshot().packets).toHaveLength(MAX_KEPT_PACKETS);
  });
});

describe('PacketLog faults', () => {
  const udp = (n: number, sport: number, dport: number, len = 6): WirePacket => ({
    n,
    t: n,
    proto: 'udp',
    src: '127.0.0.1',
    dst: '127.0.0.1',
    sport,
    dport,
    len,
  });
  const tcp = (n: number, change: Partial<WirePacket>): WirePacket => ({
    n,
    t: n,
    proto: 'tcp',
    src: '127.0.0.1',
    dst: '127.0.0.1',
    sport: 50000,
    dport: 9001,
    len: 3,
    flags: ['PSH', 'ACK'],
    ...change,
  });
  const datagram = { from: '127.0.0.1:40000', bytes: 6, toward: '127.0.0.1:9001', back: false };
  const NOTE: FaultNote = {
    code: 'fault-datagram-dropped',
    params: { index: 2, ...datagram, queueFull: false },
  };
  const TWICE: FaultNote = { code: 'fault-datagram-duplicated', params: { index: 3, ...datagram } };
  const fault = (change: Partial<FaultEvent>): FaultEvent => ({
    type: 'fault',
    runId: 'run-aaaaaaaa',
    process: 'peer:relay',
    t: 1,
    proto: 'udp',
    action: 'dropped',
    from: '127.0.0.1:40000',
    to: '127.0.0.1:9000',
    index: 2,
    bytes: 6,
    note: NOTE,
    ...change,
  });
  const marks = (log: PacketLog) =>
    log.snapshot().packets.map((p) => (p.faults ?? []).map((mark) => mark.action).join(','));

  it('marks the index-th datagram of its flow, whether the fault comes before or after it', () => {
    const log = new PacketLog();
    log.push(udp(1, 40000, 9000));
    log.push(udp(2, 41000, 9000)); // another client: not counted in this flow
    log.push(udp(3, 40000, 9000));
    log.addFault(fault({ index: 2 }));
    log.addFault(fault({ index: 3, action: 'duplicated', note: TWICE }));
    expect(marks(log)).toEqual(['', '', 'dropped']);
    log.push(udp(4, 40000, 9000));
    expect(marks(log)).toEqual(['', '', 'dropped', 'duplicated']);
    const packets = log.snapshot().packets;
    expect(packets.map((p) => p.dropped ?? false)).toEqual([false, false, true, false]);
    expect(packets[3]!.faults).toEqual([
      { action: 'duplicated', bytes: 6, note: TWICE, process: 'peer:relay' },
    ]);
    expect(log.snapshot().faults).toBe(2);
  });

  it('counts only TCP segments that carry new data, and finds a reset by its RST', () => {
    const log = new PacketLog();
    const split = (index: number) =>
      fault({
        proto: 'tcp',
        action: 'split',
        from: '127.0.0.1:50000',
        to: '127.0.0.1:9001',
        index,
        bytes: 3,
      });
    log.addFault(split(2));
    log.push(tcp(1, { len: 0, flags: ['ACK'] }));
    log.push(tcp(2, {}));
    log.push(tcp(3, { retrans: true }));
    log.push(tcp(4, {}));
    log.addFault(split(1));
    log.addFault(
      fault({
        proto: 'tcp',
        action: 'delayed',
        delayMs: 40,
        from: '127.0.0.1:50000',
        to: '127.0.0.1:9001',
        index: 2,
        bytes: 3,
      }),
    );
    log.addFault(
      fault({
        proto: 'tcp',
        action: 'reset',
        from: '127.0.0.1:50000',
        to: '127.0.0.1:9001',
        index: 3,
      }),
    );
    log.push(tcp(5, { len: 0, flags: ['RST'] }));
    expect(marks(log)).toEqual(['', 'split', '', 'split,delayed', 'reset']);
    expect(log.snapshot().packets[3]!.faults![1]).toMatchObject({ delayMs: 40 });
  });

  it('leaves a packet alone when its length is not what the peer counted', () => {
    const log = new PacketLog();
    log.push(udp(1, 40000, 9000, 9));
    log.addFault(fault({ index: 1, bytes: 6 }));
    log.addFault(fault({ index: 2, bytes: 6 }));
    log.push(udp(2, 40000, 9000, 4));
    expect(marks(log)).toEqual(['', '']);
    expect(log.snapshot().packets.some((p) => p.dropped)).toBe(false);
  });

  it('forgets faults waiting for their packet when a new run begins', () => {
    const log = new PacketLog();
    log.addFault(fault({ index: 1 }));
    log.reset();
    log.push(udp(1, 40000, 9000));
    expect(marks(log)).toEqual(['']);
    expect(log.snapshot().faults).toBe(0);
  });
});

describe('fromPacketEvent', () => {
  it('drops the event envelope and keeps every packet field, owners included', () => {
    expect(
      fromPacketEvent({
        type: 'packet',
        runId: 'run-aaaaaaaa',
        n: 1,
        t: 0.5,
        proto: 'tcp',
        src: '127.0.0.1',
        dst: '127.0.0.1',
        sport: 40000,
        dport: 9000,
        srcOwner: 'client.py',
        dstOwner: 'peer:echo',
        len: 0,
        flags: ['SYN'],
        seq: 0,
      }),
    ).toEqual({
      n: 1,
      t: 0.5,
      proto: 'tcp',
      src: '127.0.0.1',
      dst: '127.0.0.1',
      sport: 40000,
      dport: 9000,
      srcOwner: 'client.py',
      dstOwner: 'peer:echo',
      len: 0,
      flags: ['SYN'],
      seq: 0,
    });
  });
});
