import { describe, expect, it } from 'vitest';
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
