import { describe, expect, it } from 'vitest';
import { pcapFile, tcpFrame } from './fixtures/builders.ts';
import type { Packet, TcpFlag } from './packet.ts';
import { parsePcap } from './parse-pcap.ts';

const CLIENT = 40000;
const SERVER = 5000;
const C_ISN = 4_294_967_000; // close to 2^32: relative numbers must wrap correctly
const S_ISN = 1000;

interface Step {
  from: 'c' | 's';
  flags: TcpFlag[];
  seq: number;
  ack?: number;
  payload?: string;
  options?: number[];
  window?: number;
}

/** The frame of one step, its numbers made absolute from each side's ISN. */
function frameOf(step: Step, isn = { c: C_ISN, s: S_ISN }): Uint8Array {
  const client = step.from === 'c';
  return tcpFrame({
    sport: client ? CLIENT : SERVER,
    dport: client ? SERVER : CLIENT,
    flags: step.flags,
    seq: (isn[step.from] + step.seq) >>> 0,
    ack: step.ack === undefined ? 0 : (isn[client ? 's' : 'c'] + step.ack) >>> 0,
    payload: step.payload,
    options: step.options,
    window: step.window,
  });
}

/** Parses a conversation given with relative numbers (as the expected output uses them). */
function converse(steps: Step[]): Packet[] {
  return parsePcap(pcapFile(steps.map((step) => frameOf(step)))).packets;
}

const handshake: Step[] = [
  { from: 'c', flags: ['SYN'], seq: 0, options: [3, 3, 7, 1] },
  { from: 's', flags: ['SYN', 'ACK'], seq: 0, ack: 1, options: [3, 3, 2, 1] },
  { from: 'c', flags: ['ACK'], seq: 1, ack: 1, window: 10 },
];

const states = (packets: Packet[]): string[] =>
  packets.map((p) => `${p.srcState ?? ''}/${p.dstState ?? ''}`);

describe('TCP connections', () => {
  it('numbers relative to each side’s ISN across the 2^32 wrap', () => {
    const packets = converse([
      ...handshake,
      { from: 'c', flags: ['PSH', 'ACK'], seq: 1, ack: 1, payload: 'x'.repeat(1000) },
      { from: 's', flags: ['ACK'], seq: 1, ack: 1001 },
    ]);
    expect(packets.map((p) => [p.seq, p.ack])).toEqual([
      [0, undefined],
      [0, 1],
      [1, 1],
      [1, 1],
      [1, 1001],
    ]);
  });

  it('scales the window by the sender’s announced shift once both SYNs carried one', () => {
    const packets = converse(handshake);
    expect(packets.map((p) => p.win)).toEqual([1000, 1000, 10 * 2 ** 7]);
    const unscaled = converse([{ ...handshake[0]!, options: [] }, handshake[1]!, handshake[2]!]);
    expect(unscaled[2]!.win).toBe(10);
  });

  it('labels a simultaneous close: CLOSING, then TIME_WAIT on both sides', () => {
    const packets = converse([
      ...handshake,
      { from: 'c', flags: ['FIN', 'ACK'], seq: 1, ack: 1 },
      { from: 's', flags: ['FIN', 'ACK'], seq: 1, ack: 1 },
      { from: 'c', flags: ['ACK'], seq: 2, ack: 2 },
      { from: 's', flags: ['ACK'], seq: 2, ack: 2 },
    ]);
    expect(states(packets).slice(3)).toEqual([
      'FIN_WAIT_1/CLOSE_WAIT',
      'CLOSING/CLOSING',
      '/TIME_WAIT',
      '/TIME_WAIT',
    ]);
  });

  it('labels a three-way teardown where the FIN rides on the ACK', () => {
    const packets = converse([
      ...handshake,
      { from: 'c', flags: ['FIN', 'ACK'], seq: 1, ack: 1 },
      { from: 's', flags: ['FIN', 'ACK'], seq: 1, ack: 2 },
      { from: 'c', flags: ['ACK'], seq: 2, ack: 2 },
    ]);
    expect(states(packets).slice(3)).toEqual([
      'FIN_WAIT_1/CLOSE_WAIT',
      'LAST_ACK/TIME_WAIT',
      '/CLOSED',
    ]);
    expect(packets.slice(3).map((p) => p.phase)).toEqual(['teardown', 'teardown', 'teardown']);
  });

  it('keeps data after a half-close as data', () => {
    const packets = converse([
      ...handshake,
      { from: 'c', flags: ['FIN', 'ACK'], seq: 1, ack: 1 },
      { from: 's', flags: ['ACK'], seq: 1, ack: 2 },
      { from: 's', flags: ['PSH', 'ACK'], seq: 1, ack: 2, payload: 'late' },
      { from: 'c', flags: ['ACK'], seq: 2, ack: 5 },
    ]);
    expect(packets.slice(3).map((p) => p.phase)).toEqual(['teardown', 'teardown', 'data', 'data']);
    expect(states(packets).slice(3)).toEqual(['FIN_WAIT_1/CLOSE_WAIT', '/FIN_WAIT_2', '/', '/']);
  });

  it('closes both sides on a reset in the middle of a connection', () => {
    const packets = converse([...handshake, { from: 's', flags: ['RST', 'ACK'], seq: 1, ack: 1 }]);
    expect(packets[3]).toMatchObject({ phase: 'reset', srcState: 'CLOSED', dstState: 'CLOSED' });
  });

  it('marks retransmitted data and a retransmitted SYN', () => {
    const data: Step = { from: 'c', flags: ['PSH', 'ACK'], seq: 1, ack: 1, payload: 'abc' };
    const packets = converse([
      handshake[0]!,
      handshake[0]!,
      handshake[1]!,
      handshake[2]!,
      data,
      data,
      { ...data, seq: 4 },
    ]);
    expect(packets.map((p) => p.retrans ?? false)).toEqual([
      false,
      true,
      false,
      false,
      false,
      true,
      false,
    ]);
    expect(new Set(packets.map((p) => p.conn))).toEqual(new Set([1]));
  });

  it('starts a new connection when a SYN reuses a finished 4-tuple', () => {
    const reset: Step = { from: 'c', flags: ['RST'], seq: 1 };
    const both = parsePcap(
      pcapFile([
        ...[...handshake, reset].map((step) => frameOf(step)),
        ...handshake.map((step) => frameOf(step, { c: 77, s: 99 })),
      ]),
    );
    expect(both.packets.map((p) => p.conn)).toEqual([1, 1, 1, 1, 2, 2, 2]);
    expect(both.packets[4]).toMatchObject({ seq: 0, srcState: 'SYN_SENT' });
    expect(both.flows).toHaveLength(2);
  });

  it('picks up a connection whose handshake it missed: numbers from 1, no invented states', () => {
    const packets = converse([
      { from: 'c', flags: ['PSH', 'ACK'], seq: 1, ack: 1, payload: 'hi' },
      { from: 's', flags: ['ACK'], seq: 1, ack: 3 },
      { from: 'c', flags: ['FIN', 'ACK'], seq: 3, ack: 1 },
    ]);
    expect(packets.map((p) => [p.seq, p.ack])).toEqual([
      [1, 1],
      [1, 3],
      [3, 1],
    ]);
    expect(states(packets)).toEqual(['/', '/', 'FIN_WAIT_1/CLOSE_WAIT']);
  });
});
