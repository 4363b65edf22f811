import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toBigEndian } from './fixtures/builders.ts';
import type { Packet } from './packet.ts';
import { parsePcap } from './parse-pcap.ts';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

/** One line per packet, the way a sequence diagram labels its arrows. */
function arrow(packet: Packet): string {
  const flags = packet.flags ? ` [${packet.flags.join(',')}]` : '';
  const numbers =
    packet.seq === undefined
      ? ''
      : ` seq=${packet.seq}${packet.ack === undefined ? '' : ` ack=${packet.ack}`}`;
  const phase = packet.phase ? ` ${packet.phase}` : '';
  return `${packet.sport ?? '-'}>${packet.dport ?? '-'} ${packet.proto}${flags}${numbers} len=${packet.len}${phase}`;
}

describe('parsePcap on recorded loopback captures', () => {
  it('shows the handshake, the data and the four-way teardown of a TCP session', () => {
    const { packets, flows, error, leftoverBytes } = parsePcap(fixture('tcp-session.pcap'));
    expect([error, leftoverBytes]).toEqual([null, 0]);
    const client = flows[0]!.a.port;
    expect(flows).toEqual([
      {
        id: 1,
        proto: 'tcp',
        a: { addr: '127.0.0.1', port: client },
        b: { addr: '127.0.0.1', port: 5000 },
      },
    ]);
    const c = String(client);
    expect(packets.map(arrow)).toEqual([
      `${c}>5000 tcp [SYN] seq=0 len=0 handshake`,
      `5000>${c} tcp [SYN,ACK] seq=0 ack=1 len=0 handshake`,
      `${c}>5000 tcp [ACK] seq=1 ack=1 len=0 handshake`,
      `${c}>5000 tcp [PSH,ACK] seq=1 ack=1 len=6 data`,
      `5000>${c} tcp [ACK] seq=1 ack=7 len=0 data`,
      `5000>${c} tcp [PSH,ACK] seq=1 ack=7 len=6 data`,
      `${c}>5000 tcp [ACK] seq=7 ack=7 len=0 data`,
      `${c}>5000 tcp [PSH,ACK] seq=7 ack=7 len=31 data`,
      `5000>${c} tcp [ACK] seq=7 ack=38 len=0 data`,
      `${c}>5000 tcp [FIN,ACK] seq=38 ack=7 len=0 teardown`,
      `5000>${c} tcp [ACK] seq=7 ack=39 len=0 teardown`,
      `5000>${c} tcp [FIN,ACK] seq=7 ack=39 len=0 teardown`,
      `${c}>5000 tcp [ACK] seq=39 ack=8 len=0 teardown`,
    ]);
    expect(packets.every((packet) => packet.conn === 1 && packet.bad === undefined)).toBe(true);
  });

  it('derives both sockets’ states from the packets', () => {
    const { packets } = parsePcap(fixture('tcp-session.pcap'));
    const changes = packets.map((p) => [p.srcState ?? '', p.dstState ?? ''].join('→'));
    expect(changes).toEqual([
      'SYN_SENT→',
      'SYN_RECEIVED→ESTABLISHED',
      '→ESTABLISHED',
      '→',
      '→',
      '→',
      '→',
      '→',
      '→',
      'FIN_WAIT_1→CLOSE_WAIT',
      '→FIN_WAIT_2',
      'LAST_ACK→TIME_WAIT',
      '→CLOSED',
    ]);
  });

  it('gives times from the first packet, windows scaled after the handshake, previews escaped', () => {
    const { packets } = parsePcap(fixture('tcp-session.pcap'));
    expect(packets[0]!.t).toBe(0);
    expect(packets.every((p, i) => i === 0 || p.t >= packets[i - 1]!.t)).toBe(true);
    expect(packets[12]!.t).toBeGreaterThan(50);
    expect(packets[0]).toMatchObject({ win: 65495, mss: 65495, wscale: 10, optLen: 20 });
    expect(packets[2]!.win).toBe(64 * 1024);
    expect(packets[3]!.preview).toBe('hello\\n');
    expect(packets[7]!.preview).toBe('\\x00\\x01\\x1b[31mred\\x1b[0m café \\u{202e} evil\\r\\n');
    expect(packets[4]!.preview).toBeUndefined();
  });

  it('shows a refused connection as SYN then RST', () => {
    const { packets } = parsePcap(fixture('tcp-refused.pcap'));
    expect(packets.map(arrow)).toEqual([
      `${packets[0]!.sport}>5001 tcp [SYN] seq=0 len=0 handshake`,
      `5001>${packets[0]!.sport} tcp [RST,ACK] seq=1 ack=1 len=0 reset`,
    ]);
    expect(packets[1]).toMatchObject({ dstState: 'CLOSED', conn: 1 });
    expect(packets[1]!.srcState).toBeUndefined();
  });

  it('shows UDP datagrams as flows, and the ICMP error on the flow it reports', () => {
    const { packets, flows } = parsePcap(fixture('udp.pcap'));
    expect(
      packets.map((p) => [p.proto, p.dport ?? null, p.len, p.preview ?? p.icmp, p.conn]),
    ).toEqual([
      ['udp', 6000, 4, 'ping', 1],
      ['udp', packets[0]!.sport, 4, 'pong', 1],
      ['udp', 6001, 4, 'lost', 2],
      ['icmp', null, 40, 'port unreachable', 2],
    ]);
    expect(flows.map((flow) => flow.proto)).toEqual(['udp', 'udp']);
    expect(packets[0]!.flags).toBeUndefined();
  });

  it('decodes the same traffic over IPv6 ::1', () => {
    const { packets, flows } = parsePcap(fixture('ipv6.pcap'));
    expect(packets).toHaveLength(17);
    expect(packets.every((p) => p.src === '::1' && p.dst === '::1' && p.bad === undefined)).toBe(
      true,
    );
    expect(packets.slice(0, 3).map((p) => p.flags?.join(','))).toEqual(['SYN', 'SYN,ACK', 'ACK']);
    expect(packets[12]).toMatchObject({ phase: 'teardown', dstState: 'CLOSED' });
    expect(packets[16]).toMatchObject({
      proto: 'icmp',
      icmp: 'port unreachable',
      len: 60,
      conn: 3,
    });
    expect(flows.map((flow) => `${flow.proto} ${flow.b.port}`)).toEqual([
      'tcp 5000',
      'udp 6000',
      'udp 6001',
    ]);
  });

  it.each(['udp-sll.pcap', 'udp-sll2.pcap', 'udp-nano.pcap'])(
    'reads %s (tcpdump -i any, nanosecond stamps) like the Ethernet one',
    (name) => {
      const { packets } = parsePcap(fixture(name));
      expect(packets.map((p) => p.preview ?? p.icmp)).toEqual([
        'ping',
        'pong',
        'lost',
        'port unreachable',
      ]);
      expect(packets[3]!.t).toBeGreaterThan(0);
    },
  );

  it('reads a big-endian copy identically', () => {
    const little = parsePcap(fixture('tcp-session.pcap'));
    expect(parsePcap(toBigEndian(fixture('tcp-session.pcap')))).toEqual(little);
  });

  it('measures time from a given origin', () => {
    const { packets } = parsePcap(fixture('tcp-session.pcap'));
    const first = parsePcap(fixture('tcp-session.pcap'), { originMs: 0 }).packets[0]!.t;
    const { packets: shifted } = parsePcap(fixture('tcp-session.pcap'), { originMs: first - 250 });
    expect(shifted[0]!.t).toBeCloseTo(250, 3);
    expect(shifted[12]!.t - shifted[0]!.t).toBeCloseTo(packets[12]!.t, 3);
  });
});

describe('parsePcap on broken files', () => {
  it('returns the whole records of a truncated file and counts the rest', () => {
    const file = fixture('tcp-session.pcap');
    const { packets, leftoverBytes, error } = parsePcap(file.subarray(0, file.length - 10));
    expect(packets).toHaveLength(12);
    expect(leftoverBytes).toBeGreaterThan(0);
    expect(error).toBeNull();
  });

  it('reports garbage as not a pcap, with no packets', () => {
    expect(parsePcap(new TextEncoder().encode('hello, not a capture at all'))).toMatchObject({
      packets: [],
      error: 'not a pcap file',
      linkType: null,
    });
    expect(parsePcap(new Uint8Array(0))).toMatchObject({
      packets: [],
      error: null,
      leftoverBytes: 0,
    });
  });

  it('flags a damaged packet and keeps decoding the ones after it', () => {
    const file = fixture('tcp-session.pcap').slice();
    const view = new DataView(file.buffer);
    let offset = 24;
    for (let i = 0; i < 3; i++) offset += 16 + view.getUint32(offset + 8, true);
    // Packet 4's version/header-length byte (after its record and Ethernet headers): IHL 1.
    file[offset + 16 + 14] = 0x41;
    const { packets } = parsePcap(file);
    expect(packets[3]).toMatchObject({ n: 4, proto: 'other', bad: 'IPv4 header length below 20' });
    expect(packets[4]!.bad).toBeUndefined();
    expect(packets[5]!.preview).toBe('HELLO\\n');
  });
});
