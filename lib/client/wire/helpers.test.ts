import { describe, expect, it } from 'vitest';
import { arrowKind } from './arrow-kind.ts';
import { captureFileName, captureUrl } from './capture-file.ts';
import { applyOwners, summarizeConnections } from './connections.ts';
import { defaultOwnerLabel, endpointLabel, hostPort } from './endpoints.ts';
import { diagramGeometry } from './geometry.ts';
import { flagText, isPureAck, stepName } from './flags.ts';
import { clip, formatBytes, formatTime } from './format.ts';
import { renderNotice } from '../../notices/catalog.ts';
import { headerFields } from './header-fields.ts';
import { syntheticCapture } from './synthetic-capture.ts';
import { rowAt, rowOffsets, scrollToShow, visibleRows } from './viewport.ts';

describe('names and numbers', () => {
  it('names endpoints by owner, or by address and port (IPv6 in brackets)', () => {
    expect(hostPort('127.0.0.1', 5000)).toBe('127.0.0.1:5000');
    expect(hostPort('::1', 5000)).toBe('[::1]:5000');
    expect(defaultOwnerLabel('peer:echo')).toBe('peer: echo');
    expect(endpointLabel({ key: 'k', addr: '127.0.0.1', port: 9, owner: 'server.py' })).toEqual({
      label: 'server.py',
      detail: '127.0.0.1:9',
    });
  });

  it('words flags as Wireshark on arrows and as textbooks in phase labels', () => {
    expect(flagText(['SYN', 'ACK'])).toBe('SYN, ACK');
    expect(
      ['SYN', 'SYN,ACK', 'ACK', 'FIN,ACK', 'RST,ACK'].map((f) => stepName(f.split(',') as never)),
    ).toEqual(['SYN', 'SYN-ACK', 'ACK', 'FIN', 'RST']);
    const [, , ack, data] = syntheticCapture({ connections: 1, exchanges: 1 });
    expect([isPureAck(ack!), isPureAck(data!)]).toEqual([true, false]);
  });

  it('formats times, sizes, and clips previews without splitting an escape', () => {
    expect(formatTime(0.021)).toBe('0.021 ms');
    expect(formatTime(1204.6)).toBe('1.205 s');
    expect([formatBytes(6), formatBytes(4915), formatBytes(3 * 1024 * 1024)]).toEqual([
      '6 B',
      '4.8 KiB',
      '3.0 MiB',
    ]);
    expect(clip('hello\\n', 10)).toBe('hello\\n');
    expect(clip('ab\\x1bcdef', 5)).toBe('ab…');
    expect(clip('ab\\x1bcdef', 7)).toBe('ab\\x1b…');
  });
});

describe('headerFields', () => {
  it('lists the full header of a SYN, with MSS and window scale', () => {
    const [syn] = syntheticCapture({ connections: 1, exchanges: 0 });
    const fields = Object.fromEntries(headerFields(syn!).map((f) => [f.key, f.value]));
    expect(fields).toMatchObject({
      frame: '1',
      protocol: 'TCP',
      from: 'client.py (127.0.0.1:40001)',
      to: 'server.py (127.0.0.1:9000)',
      flags: 'SYN',
      seq: '0',
      window: '65536',
      length: '0',
      mss: '65495',
      wscale: '7',
      options: '20',
      states: 'SYN_SENT → ·',
    });
    expect(fields.ack).toBeUndefined();
    expect(fields.fault).toBeUndefined();
  });

  it('lists the TLS records a payload starts with before its preview', () => {
    const [, , , data] = syntheticCapture({ connections: 1, exchanges: 1 });
    const hello = { ...data!, tls: 'ClientHello (SNI localhost)', preview: '\\x16\\x03\\x01' };
    const keys = headerFields(hello).map((f) => f.key);
    expect(keys.indexOf('tls')).toBe(keys.indexOf('preview') - 1);
    expect(headerFields(hello).find((f) => f.key === 'tls')?.value).toBe(
      'ClientHello (SNI localhost)',
    );
  });

  it('names each fault peer and its sentence, one per line, in the language asked for', () => {
    const [, , , data] = syntheticCapture({ connections: 1, exchanges: 1 });
    const segment = { index: 1, from: '127.0.0.1:40000', bytes: 3 };
    const faults = [
      {
        action: 'split' as const,
        bytes: 3,
        note: {
          code: 'fault-segment-split' as const,
          params: { ...segment, piece: 1, pieces: 2, readBytes: 6, chunkBytes: 3 },
        },
        process: 'peer:proxy',
      },
      {
        action: 'delayed' as const,
        bytes: 3,
        delayMs: 40,
        note: { code: 'fault-segment-delayed' as const, params: { ...segment, delayMs: 40 } },
        process: 'peer:proxy',
      },
    ];
    const label = (owner: string) => owner.replace('peer:', 'peer: ');
    const packet = { ...data!, faults };
    expect(headerFields(packet, label).find((f) => f.key === 'fault')?.value).toBe(
      'peer: proxy: sent segment #1 from 127.0.0.1:40000 (3 bytes) alone: piece 1 of 2 of a 6-byte read (chunkBytes 3)\n' +
        'peer: proxy: delayed segment #1 from 127.0.0.1:40000 (3 bytes) by 40 ms',
    );
    const zh = headerFields(packet, label, (note) => renderNotice(note, 'zh'));
    expect(zh.find((f) => f.key === 'fault')?.value).toContain('延迟了 40 毫秒');
  });
});

describe('connections', () => {
  it('summarizes each connection and fills in owners for a recording', () => {
    const packets = syntheticCapture({ connections: 2, exchanges: 1 }).map((p) => {
      const { srcOwner: _s, dstOwner: _d, ...bare } = p;
      return bare;
    });
    const owned = applyOwners(packets, { '9000': 'server.py', '127.0.0.1:40001': 'client.py' });
    const [one, two] = summarizeConnections(owned);
    expect([one!.a.owner, one!.b.owner, one!.packets, one!.bytes]).toEqual([
      'client.py',
      'server.py',
      11,
      24,
    ]);
    expect([two!.a.owner, two!.b.owner]).toEqual([undefined, 'server.py']);
  });
});

describe('viewport', () => {
  const offsets = rowOffsets([10, 20, 30, 40], (h) => h);

  it('finds the rows in view by binary search', () => {
    expect([...offsets]).toEqual([0, 10, 30, 60, 100]);
    expect([
      rowAt(offsets, 0),
      rowAt(offsets, 29),
      rowAt(offsets, 30),
      rowAt(offsets, 999),
    ]).toEqual([0, 1, 2, 3]);
    expect(visibleRows(offsets, 15, 20, 0)).toEqual({ first: 1, last: 2 });
    expect(
      visibleRows(
        rowOffsets([], () => 1),
        0,
        100,
      ),
    ).toEqual({ first: 0, last: -1 });
  });

  it('scrolls just enough to show a row', () => {
    expect(scrollToShow(offsets, 3, 0, 50)).toBe(50);
    expect(scrollToShow(offsets, 0, 20, 50)).toBe(0);
    expect(scrollToShow(offsets, 1, 0, 50)).toBeNull();
  });
});

describe('recorded capture files', () => {
  it('accepts plain .pcap names in the lesson folder and nothing else', () => {
    expect(captureFileName('./handshake.pcap')).toBe('handshake.pcap');
    expect(captureFileName('udp-loss.pcap')).toBe('udp-loss.pcap');
    for (const bad of ['../secret.pcap', 'a/b.pcap', '/etc/x.pcap', '.pcap', 'x.txt', './.x.pcap'])
      expect(captureFileName(bad)).toBeNull();
    expect(captureUrl('en', 'tcp-client', 'handshake.pcap')).toBe(
      '/en/lessons/tcp-client/captures/handshake.pcap',
    );
  });
});

describe('arrowKind and geometry', () => {
  it('picks the most telling kind: loss, reset and retransmission over the phase', () => {
    const [syn, , , data, ack] = syntheticCapture({ connections: 1, exchanges: 1 });
    expect([syn, data, ack].map((p) => arrowKind(p!))).toEqual(['handshake', 'data', 'ack']);
    expect(arrowKind({ ...data!, retrans: true })).toBe('retrans');
    expect(arrowKind({ ...syn!, flags: ['RST', 'ACK'], phase: 'reset' })).toBe('reset');
    expect(arrowKind({ ...data!, dropped: true, retrans: true })).toBe('dropped');
    expect(arrowKind({ ...data!, proto: 'udp', flags: undefined })).toBe('udp');
  });

  it('tells what a fault peer did apart, but not over a loss or a reset', () => {
    const [syn, , , data] = syntheticCapture({ connections: 1, exchanges: 1 });
    const mark = (action: 'split' | 'reset' | 'dropped') => ({
      action,
      bytes: 0,
      note: {
        code: 'fault-datagram-late' as const,
        params: { index: 1, from: '127.0.0.1:40000', holdMs: 30 },
      },
      process: 'peer:proxy',
    });
    expect(arrowKind({ ...data!, faults: [mark('split')] })).toBe('fault');
    expect(arrowKind({ ...data!, proto: 'udp', flags: undefined, faults: [mark('split')] })).toBe(
      'fault',
    );
    expect(arrowKind({ ...syn!, flags: ['RST'], faults: [mark('reset')] })).toBe('reset');
    expect(arrowKind({ ...data!, dropped: true, faults: [mark('dropped')] })).toBe('dropped');
  });

  it('spaces lifelines evenly, and widens the drawing rather than crowd them', () => {
    const wide = diagramGeometry(2, 1, 900);
    expect(wide.width).toBe(900);
    expect(wide.xs[1]! - wide.xs[0]!).toBe(420);
    const narrow = diagramGeometry(5, 2, 400);
    expect(narrow.width).toBeGreaterThan(400);
    expect(narrow.xs[1]! - narrow.xs[0]!).toBe(176);
    expect(narrow.lanes).toHaveLength(2);
    expect(diagramGeometry(1, 0, 500).xs).toHaveLength(1);
  });
});
