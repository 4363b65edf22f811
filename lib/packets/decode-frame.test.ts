import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from './decode-frame.ts';
import { bytes, ethernet, framesOf, ipv4, ipv6, tcp, tcpFrame, udp } from './fixtures/builders.ts';
import { LINKTYPE } from './link.ts';

const session = framesOf(
  new Uint8Array(readFileSync(new URL('./fixtures/tcp-session.pcap', import.meta.url))),
);
const ipv6Frames = framesOf(
  new Uint8Array(readFileSync(new URL('./fixtures/ipv6.pcap', import.meta.url))),
);
/** The client's "hello\n" segment, as recorded. */
const hello = session[3]!;

const decode = (frame: Uint8Array, linkType: number = LINKTYPE.EN10MB) =>
  decodeFrame(linkType, frame, frame.length);

describe('decodeFrame on recorded loopback frames', () => {
  it('decodes a TCP data segment: addresses, ports, flags, numbers, payload', () => {
    const frame = decode(hello);
    expect(frame).toMatchObject({
      proto: 'tcp',
      src: '127.0.0.1',
      dst: '127.0.0.1',
      dport: 5000,
      len: 6,
    });
    expect(frame.tcp).toMatchObject({ flags: ['PSH', 'ACK'], optLen: 12, window: 64 });
    expect(new TextDecoder().decode(frame.payload)).toBe('hello\n');
    expect(frame.bad).toBeUndefined();
  });

  it('reads MSS and window scale from a SYN', () => {
    expect(decode(session[0]!).tcp).toMatchObject({
      flags: ['SYN'],
      mss: 65495,
      wscale: 10,
      optLen: 20,
    });
  });

  it('decodes IPv6 on ::1', () => {
    expect(decode(ipv6Frames[3]!)).toMatchObject({
      proto: 'tcp',
      src: '::1',
      dst: '::1',
      dport: 5000,
      len: 6,
    });
  });
});

describe('decodeFrame on other link types', () => {
  const ip = hello.subarray(14);
  const expected = { proto: 'tcp', dport: 5000, len: 6 };

  it.each([
    ['RAW', LINKTYPE.RAW, ip],
    ['IPV4', LINKTYPE.IPV4, ip],
    ['NULL, little-endian writer', LINKTYPE.NULL, bytes([2, 0, 0, 0], ip)],
    ['NULL, big-endian writer', LINKTYPE.NULL, bytes([0, 0, 0, 2], ip)],
    ['LOOP', LINKTYPE.LOOP, bytes([0, 0, 0, 2], ip)],
    ['LINUX_SLL', LINKTYPE.LINUX_SLL, bytes(new Uint8Array(14), [0x08, 0], ip)],
    ['LINUX_SLL2', LINKTYPE.LINUX_SLL2, bytes([0x08, 0], new Uint8Array(18), ip)],
    [
      'Ethernet with a VLAN tag',
      LINKTYPE.EN10MB,
      bytes(new Uint8Array(12), [0x81, 0, 0, 5, 0x08, 0], ip),
    ],
  ])('%s', (_name, linkType, frame) => {
    expect(decode(frame, linkType)).toMatchObject(expected);
  });

  it('finds IPv6 behind BSD loopback families (Linux 10, BSD 24/28/30)', () => {
    const packet = ipv6Frames[3]!.subarray(14);
    for (const family of [10, 24, 28, 30]) {
      expect(decode(bytes([family, 0, 0, 0], packet), LINKTYPE.NULL)).toMatchObject({
        src: '::1',
        dport: 5000,
      });
    }
    expect(decode(packet, LINKTYPE.IPV6)).toMatchObject({ src: '::1', dport: 5000 });
  });

  it('flags an unknown link type instead of guessing', () => {
    expect(decode(hello, 147)).toMatchObject({
      proto: 'other',
      bad: 'link type 147 is not supported',
    });
  });

  it('passes non-IP frames through as other', () => {
    expect(decode(ethernet(0x0806, new Uint8Array(28)))).toEqual({
      proto: 'other',
      src: '',
      dst: '',
      len: 42,
    });
  });
});

describe('decodeFrame on IP features a loopback capture rarely shows', () => {
  it('skips IPv4 options by the header length', () => {
    const payload = tcp({ sport: 1, dport: 2, flags: ['ACK'], payload: 'ok' });
    const frame = ethernet(
      0x0800,
      ipv4({ protocol: 6, payload, options: [0x94, 4, 0, 0, 1, 1, 1, 0] }),
    );
    expect(decode(frame)).toMatchObject({ proto: 'tcp', sport: 1, dport: 2, len: 2 });
  });

  it('walks IPv6 hop-by-hop, destination options and a first fragment to UDP', () => {
    const extensions = bytes(
      [60, 0, 1, 4, 0, 0, 0, 0],
      [44, 0, 1, 4, 0, 0, 0, 0],
      [17, 0, 0, 1, 0, 0, 0, 7],
    );
    const frame = ethernet(0x86dd, ipv6({ nextHeader: 0, extensions, payload: udp(7, 9, 'abc') }));
    expect(decode(frame)).toMatchObject({ proto: 'udp', sport: 7, dport: 9, len: 3, src: '::1' });
  });

  it('flags a later fragment, which holds no transport header', () => {
    const v4 = ethernet(
      0x0800,
      ipv4({ protocol: 17, payload: new Uint8Array(16), fragmentOffset: 185 }),
    );
    expect(decode(v4)).toMatchObject({ proto: 'udp', bad: 'IP fragment (no transport header)' });
    const v6 = ethernet(
      0x86dd,
      ipv6({
        nextHeader: 44,
        extensions: Uint8Array.from([17, 0, 0, 8, 0, 0, 0, 1]),
        payload: new Uint8Array(8),
      }),
    );
    expect(decode(v6)).toMatchObject({ proto: 'udp', bad: 'IP fragment (no transport header)' });
  });

  it('stops at ESP (encrypted) and at no-next-header', () => {
    expect(
      decode(ethernet(0x86dd, ipv6({ nextHeader: 50, payload: new Uint8Array(20) }))),
    ).toMatchObject({ proto: 'other' });
    expect(
      decode(ethernet(0x86dd, ipv6({ nextHeader: 59, payload: new Uint8Array(0) }))),
    ).toMatchObject({ proto: 'other', len: 0 });
  });

  it('flags an extension header that runs past the packet', () => {
    const frame = ethernet(
      0x86dd,
      ipv6({
        nextHeader: 0,
        extensions: Uint8Array.from([6, 9, 0, 0, 0, 0, 0, 0]),
        payload: new Uint8Array(0),
      }),
    );
    expect(decode(frame).bad).toBe('IPv6 extension header overruns the packet');
  });

  it('describes ICMP errors and the flow they quote', () => {
    const quoted = ipv4({ protocol: 17, payload: udp(40000, 6001, 'lost') });
    const icmp = bytes([3, 3, 0, 0, 0, 0, 0, 0], quoted);
    expect(decode(ethernet(0x0800, ipv4({ protocol: 1, payload: icmp })))).toMatchObject({
      proto: 'icmp',
      icmp: { text: 'port unreachable', quoted: { protocol: 17, sport: 40000, dport: 6001 } },
    });
    const echo = bytes([128, 0, 0, 0, 0, 1, 0, 1]);
    expect(decode(ethernet(0x86dd, ipv6({ nextHeader: 58, payload: echo }))).icmp).toEqual({
      text: 'echo request',
    });
  });

  it('uses the IP length, not the captured length, past the snapshot length', () => {
    const full = tcpFrame({ sport: 1, dport: 2, flags: ['ACK'], payload: 'x'.repeat(500) });
    const frame = decodeFrame(LINKTYPE.EN10MB, full.subarray(0, 100), full.length);
    expect(frame).toMatchObject({ len: 500 });
    expect(frame.payload).toHaveLength(100 - 54);
    expect(frame.bad).toBeUndefined();
  });
});

describe('decodeFrame on damaged input', () => {
  it('flags every truncation of a real frame and never throws', () => {
    const seen = new Set<string>();
    for (const frames of [session, ipv6Frames]) {
      for (const whole of frames) {
        for (let cut = 0; cut < whole.length; cut++) {
          const frame = decodeFrame(LINKTYPE.EN10MB, whole.subarray(0, cut), cut);
          if (frame.bad) seen.add(frame.bad);
        }
      }
    }
    expect([...seen].sort()).toEqual([
      'IPv4 total length exceeds the frame',
      'IPv6 payload length exceeds the frame',
      'truncated Ethernet header',
      'truncated ICMP header',
      'truncated IPv4 header',
      'truncated IPv6 header',
      'truncated TCP header',
      'truncated UDP header',
    ]);
  });

  it('flags inconsistent lengths', () => {
    const shortTotal = ethernet(
      0x0800,
      ipv4({ protocol: 6, payload: new Uint8Array(20), totalLength: 12 }),
    );
    expect(decode(shortTotal).bad).toBe('IPv4 total length shorter than its header');
    const badOffset = tcp({ sport: 1, dport: 2, flags: ['ACK'] });
    badOffset[12] = 0x20;
    expect(decode(ethernet(0x0800, ipv4({ protocol: 6, payload: badOffset }))).bad).toBe(
      'bad TCP header length',
    );
    const badUdp = udp(1, 2, 'abc');
    badUdp[5] = 200;
    expect(decode(ethernet(0x0800, ipv4({ protocol: 17, payload: badUdp })))).toMatchObject({
      bad: 'bad UDP length',
      len: 3,
    });
    const wrongVersion = ethernet(0x0800, ipv6({ nextHeader: 59, payload: new Uint8Array(0) }));
    expect(decode(wrongVersion).bad).toBe('IP version 6 in an IPv4 frame');
  });

  it('never throws on random frames of any link type', () => {
    let seed = 11;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff;
    const starts = [[], [0x08, 0], [0x86, 0xdd], [0x45], [0x60]];
    for (let round = 0; round < 2000; round++) {
      const body = Uint8Array.from({ length: round % 120 }, random);
      const start = starts[round % starts.length]!;
      for (const linkType of [1, 0, 101, 108, 113, 276]) {
        const frame = linkType === 1 ? bytes(new Uint8Array(12), start, body) : bytes(start, body);
        decodeFrame(linkType, frame, frame.length + (round % 3));
      }
    }
  });
});
