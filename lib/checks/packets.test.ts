import { describe, expect, it } from 'vitest';
import type { RecordedPacket } from '../lessons/define.ts';
import { fixture } from './fixtures/fixture.ts';
import {
  connectionTo,
  datagrams,
  fromClient,
  hasFlag,
  isSyn,
  tcpConnections,
  tcpPackets,
  udpPackets,
} from './packets.ts';

const numbers = (packets: RecordedPacket[]) => packets.map((packet) => packet.n);

describe('tcpPackets and udpPackets', () => {
  it('split the capture by transport', () => {
    expect(numbers(tcpPackets(fixture('echo')))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(udpPackets(fixture('echo'))).toEqual([]);
    expect(numbers(udpPackets(fixture('udp')))).toEqual([1, 2]);
    expect(tcpPackets(fixture('udp'))).toEqual([]);
  });

  it('are empty when the run has no capture', () => {
    const run = fixture('echo');
    delete run.packets;
    expect(tcpPackets(run)).toEqual([]);
    expect(udpPackets(run)).toEqual([]);
  });
});

describe('hasFlag and isSyn', () => {
  it('read the flags of the refused handshake: SYN, then RST-ACK', () => {
    const [syn, rst] = tcpPackets(fixture('refused'));
    expect(isSyn(syn!)).toBe(true);
    expect(hasFlag(syn!, 'ACK')).toBe(false);
    expect(hasFlag(rst!, 'RST')).toBe(true);
    expect(hasFlag(rst!, 'ACK')).toBe(true);
    expect(isSyn(rst!)).toBe(false);
  });

  it('do not take a SYN-ACK for a connection request, nor a UDP packet for anything', () => {
    const synAck = tcpPackets(fixture('echo'))[1]!;
    expect(hasFlag(synAck, 'SYN')).toBe(true);
    expect(isSyn(synAck)).toBe(false);
    const datagram = udpPackets(fixture('udp'))[0]!;
    expect(hasFlag(datagram, 'PSH')).toBe(false);
    expect(isSyn(datagram)).toBe(false);
  });
});

describe('tcpConnections', () => {
  it('describes a whole echo exchange: handshake, data both ways, FINs, owners', () => {
    const [connection, ...others] = tcpConnections(fixture('echo'));
    expect(others).toEqual([]);
    expect(connection).toMatchObject({
      client: { port: 43206, owner: 'client.py' },
      server: { port: 8080, owner: 'peer:echo' },
      syn: { n: 1 },
      synAck: { n: 2 },
      ack: { n: 3 },
      bytesToServer: 12,
      bytesToClient: 12,
    });
    expect(numbers(connection!.fins)).toEqual([6, 9]);
    expect(connection!.rsts).toEqual([]);
    expect(numbers(connection!.packets)).toHaveLength(10);
    expect(connection!.packets.filter((p) => fromClient(connection!, p)).map((p) => p.n)).toEqual([
      1, 3, 4, 6, 8, 10,
    ]);
  });

  it('describes a refused attempt: a SYN answered by RST, no SYN-ACK', () => {
    const [connection] = tcpConnections(fixture('refused'));
    expect(connection).toMatchObject({ client: { port: 41972 }, server: { port: 8081 } });
    expect(connection!.syn?.n).toBe(1);
    expect(connection!.synAck).toBeUndefined();
    expect(connection!.ack).toBeUndefined();
    expect(numbers(connection!.rsts)).toEqual([2]);
  });

  it('tells client from server by port when the SYN was not captured', () => {
    const run = fixture('echo');
    run.packets = run.packets!.slice(3);
    const [connection] = tcpConnections(run);
    expect(connection).toMatchObject({ client: { port: 43206 }, server: { port: 8080 } });
    expect(connection!.syn).toBeUndefined();
    expect(connection!.bytesToServer).toBe(12);
  });

  it('opens a new connection when a closed 4-tuple sees a new SYN', () => {
    const run = fixture('echo');
    const again = run.packets!.map((packet) => ({ ...packet, n: packet.n + 10 }));
    run.packets = [...run.packets!, ...again];
    const connections = tcpConnections(run);
    expect(connections.map((connection) => connection.syn?.n)).toEqual([1, 11]);
    expect(connections[1]!.bytesToClient).toBe(12);
  });

  it('does not count retransmitted bytes twice', () => {
    const run = fixture('echo');
    const data = run.packets![3]!;
    run.packets!.splice(4, 0, { ...data, n: 4.5, retrans: true });
    expect(tcpConnections(run)[0]!.bytesToServer).toBe(12);
  });
});

describe('connectionTo', () => {
  it('finds the first connection to a server port', () => {
    expect(connectionTo(fixture('echo'), 8080)?.client.port).toBe(43206);
    expect(connectionTo(fixture('refused'), 8081)?.rsts).toHaveLength(1);
  });

  it('is undefined when nothing connected to the port', () => {
    expect(connectionTo(fixture('echo'), 43206)).toBeUndefined();
    expect(connectionTo(fixture('udp'), 9001)).toBeUndefined();
  });
});

describe('datagrams', () => {
  it('filters UDP packets by destination and source port, with their payload length', () => {
    const run = fixture('udp');
    expect(datagrams(run).map((d) => [d.sport, d.dport, d.len])).toEqual([
      [54528, 9001, 6],
      [9001, 54528, 6],
    ]);
    expect(numbers(datagrams(run, { to: 9001 }))).toEqual([1]);
    expect(numbers(datagrams(run, { from: 9001 }))).toEqual([2]);
    expect(numbers(datagrams(run, { from: 54528, to: 9001 }))).toEqual([1]);
    expect(datagrams(run, { to: 9002 })).toEqual([]);
    expect(datagrams(fixture('echo'))).toEqual([]);
  });
});
