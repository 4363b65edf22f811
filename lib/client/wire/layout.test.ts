import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePcap } from '../../packets/parse-pcap.ts';
import { applyOwners } from './connections.ts';
import { endpointLabel } from './endpoints.ts';
import { layoutSequence } from './layout.ts';
import type { BurstRow, PacketRow, PhaseRow, Row, SequenceLayout } from './layout.ts';
import { syntheticCapture } from './synthetic-capture.ts';
import type { WirePacket } from './wire-packet.ts';

/** A recorded fixture of lib/packets, parsed by lib/packets. */
function recorded(name: string): WirePacket[] {
  const bytes = readFileSync(new URL(`../../packets/fixtures/${name}`, import.meta.url));
  return parsePcap(new Uint8Array(bytes)).packets;
}

/** The recorded TCP session with the owners a run would report for its ports. */
function session(): WirePacket[] {
  const packets = recorded('tcp-session.pcap');
  return applyOwners(packets, { [String(packets[0]!.sport)]: 'client.py', '5000': 'server.py' });
}

/** One line per row: headings by their steps, arrows as `from → to FLAGS`, bursts by size. */
function describeRows(layout: SequenceLayout): string[] {
  const name = (index: number) => endpointLabel(layout.lifelines[index]!.endpoint).label;
  return layout.rows.map((row: Row) => {
    if (row.kind === 'start') return `(${row.lifelines.map(name).join(', ')} start)`;
    if (row.kind === 'phase') return `[${row.phase}] ${row.steps.join(' → ')}`;
    if (row.kind === 'burst')
      return `{${row.segments} segments, ${row.bytes} B, ${name(row.from)} → ${name(row.to)}}`;
    const p = row.packet;
    return `${name(row.from)} → ${name(row.to)} ${p.flags?.join(',') ?? p.proto}`;
  });
}

describe('layoutSequence on recorded captures', () => {
  it('labels the handshake and draws SYN, SYN-ACK, ACK in order between the owners', () => {
    const layout = layoutSequence(session());
    expect(layout.lifelines.map((l) => endpointLabel(l.endpoint))).toEqual([
      { label: 'client.py', detail: `127.0.0.1:${session()[0]!.sport}` },
      { label: 'server.py', detail: '127.0.0.1:5000' },
    ]);
    expect(describeRows(layout).slice(0, 4)).toEqual([
      '[handshake] SYN → SYN-ACK → ACK',
      'client.py → server.py SYN',
      'server.py → client.py SYN,ACK',
      'client.py → server.py ACK',
    ]);
    expect(layout.brackets[0]).toMatchObject({ phase: 'handshake', first: 0, last: 3, lane: 0 });
  });

  it('labels the four-way teardown after the data', () => {
    const rows = describeRows(layoutSequence(session()));
    expect(rows.slice(4, 10)).toEqual([
      'client.py → server.py PSH,ACK',
      'server.py → client.py ACK',
      'server.py → client.py PSH,ACK',
      'client.py → server.py ACK',
      'client.py → server.py PSH,ACK',
      'server.py → client.py ACK',
    ]);
    expect(rows.slice(10)).toEqual([
      '[teardown] FIN → ACK → FIN → ACK',
      'client.py → server.py FIN,ACK',
      'server.py → client.py ACK',
      'server.py → client.py FIN,ACK',
      'client.py → server.py ACK',
    ]);
  });

  it('names endpoints by address and port when the run did not say who owns them', () => {
    const layout = layoutSequence(recorded('tcp-session.pcap'));
    expect(endpointLabel(layout.lifelines[1]!.endpoint)).toEqual({
      label: '127.0.0.1:5000',
      detail: '',
    });
  });

  it('shows a refused connection as a SYN answered by a reset', () => {
    const layout = layoutSequence(recorded('tcp-refused.pcap'));
    const headings = layout.rows.filter((row): row is PhaseRow => row.kind === 'phase');
    expect(headings.map((h) => [h.phase, h.steps.join(' → '), h.refused])).toEqual([
      ['handshake', 'SYN', false],
      ['reset', 'RST', true],
    ]);
  });

  it('draws UDP datagrams, and the ICMP error from the port nobody listens on', () => {
    const layout = layoutSequence(recorded('udp.pcap'));
    expect(describeRows(layout)).toEqual([
      expect.stringMatching(/^127\.0\.0\.1:\d+ → 127\.0\.0\.1:6000 udp$/),
      expect.stringMatching(/^127\.0\.0\.1:6000 → 127\.0\.0\.1:\d+ udp$/),
      // :6000 is done, so :6001 takes over its column, with its head drawn where it starts.
      '(127.0.0.1:6001 start)',
      expect.stringMatching(/^127\.0\.0\.1:\d+ → 127\.0\.0\.1:6001 udp$/),
      expect.stringMatching(/^127\.0\.0\.1:6001 → 127\.0\.0\.1:\d+ icmp$/),
    ]);
    expect(layout.brackets).toEqual([]);
  });
});

describe('bursts', () => {
  const capture = () => syntheticCapture({ connections: 1, exchanges: 1, burst: 10 });

  it('collapses consecutive data segments one way (with the ACKs coming back) into one row', () => {
    const layout = layoutSequence(capture());
    const bursts = layout.rows.filter((row): row is BurstRow => row.kind === 'burst');
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toMatchObject({ segments: 10, bytes: 14480, expanded: false });
    expect(bursts[0]!.packets).toHaveLength(15);
    expect(describeRows(layout)).toContain('{10 segments, 14480 B, client.py → server.py}');
    expect(layout.packets).toBe(capture().length);
  });

  it('shows an expanded burst packet by packet under its row', () => {
    const collapsed = layoutSequence(capture());
    const burst = collapsed.rows.find((row): row is BurstRow => row.kind === 'burst')!;
    const layout = layoutSequence(capture(), { expanded: new Set([burst.id]) });
    const index = layout.rows.findIndex((row) => row.kind === 'burst');
    expect(layout.rows[index]).toMatchObject({ expanded: true });
    const members = layout.rows.slice(index + 1, index + 16) as PacketRow[];
    expect(members.every((row) => row.kind === 'packet' && row.burst === burst.id)).toBe(true);
    expect(layout.rows).toHaveLength(collapsed.rows.length + 15);
  });

  it('leaves short runs, retransmissions and data the other way as single arrows', () => {
    const packets = capture();
    expect(layoutSequence(packets, { burstMin: 11 }).rows.some((r) => r.kind === 'burst')).toBe(
      false,
    );
    const firstBurst = packets.findIndex((p) => p.len === 1448);
    packets[firstBurst + 4] = { ...packets[firstBurst + 4]!, retrans: true };
    const split = layoutSequence(packets).rows;
    const retransmitted = split.find((r) => r.kind === 'packet' && r.packet.retrans);
    expect(retransmitted).toBeDefined();
    // A fault other than a split (here a delay) is not hidden in a burst; split pieces are.
    const marked = capture();
    const mark = (action: 'delayed' | 'split') => ({
      action,
      bytes: 1448,
      note: {
        code: 'fault-datagram-late' as const,
        params: { index: 1, from: '127.0.0.1:40000', holdMs: 30 },
      },
      process: 'peer:proxy',
    });
    const splitAll = marked.map((p) => (p.len === 1448 ? { ...p, faults: [mark('split')] } : p));
    expect(layoutSequence(splitAll).rows.filter((r) => r.kind === 'burst')).toHaveLength(1);
    marked[firstBurst + 4] = { ...marked[firstBurst + 4]!, faults: [mark('delayed')] };
    const delayed = layoutSequence(marked).rows.find(
      (r) => r.kind === 'packet' && r.packet.faults !== undefined,
    );
    expect(delayed).toBeDefined();
    // The exchange's data goes both ways, so it is never a burst.
    expect(describeRows(layoutSequence(packets)).slice(4, 8)).toEqual([
      'client.py → server.py PSH,ACK',
      'server.py → client.py ACK',
      'server.py → client.py PSH,ACK',
      'client.py → server.py ACK',
    ]);
  });
});

describe('lifeline columns', () => {
  it('reuses the column of an endpoint that is done, with an inline head where the next starts', () => {
    const layout = layoutSequence(syntheticCapture({ connections: 3, exchanges: 1 }));
    expect(layout.lifelines).toHaveLength(4);
    expect(layout.columns).toBe(2);
    expect(layout.lifelines.map((l) => [l.endpoint.port, l.column])).toEqual([
      [40001, 0],
      [9000, 1],
      [40002, 0],
      [40003, 0],
    ]);
    expect(layout.byColumn).toEqual([[0, 2, 3], [1]]);
    const starts = layout.rows.flatMap((row, i) =>
      row.kind === 'start' ? [[i, row.lifelines]] : [],
    );
    // Each later client's head comes just before its handshake heading.
    expect(starts.map(([i]) => layout.rows[(i as number) + 1]!.kind)).toEqual(['phase', 'phase']);
    expect(starts.map(([, l]) => l)).toEqual([[2], [3]]);
    const second = layout.lifelines[2]!;
    expect(second.first).toBe(starts[0]![0]);
    expect(layout.lifelines[0]!.last).toBeLessThan(second.first);
    expect(layout.lifelines[1]).toMatchObject({ first: 1, last: layout.rows.length - 1 });
  });

  it('keeps brackets on their rows after start rows are added', () => {
    const layout = layoutSequence(syntheticCapture({ connections: 2, exchanges: 1 }));
    for (const bracket of layout.brackets) {
      expect(layout.rows[bracket.first]).toMatchObject({ kind: 'phase', phase: bracket.phase });
      expect(layout.rows[bracket.last]).toMatchObject({ kind: 'packet' });
    }
  });
});

describe('filter by connection', () => {
  /** Two clients whose connections overlap in time. */
  function interleaved(): WirePacket[] {
    const one = syntheticCapture({ connections: 1, exchanges: 1 });
    const two = syntheticCapture({ connections: 1, exchanges: 1 }).map((p) => ({
      ...p,
      conn: 2,
      sport: p.sport === 9000 ? 9000 : 41234,
      dport: p.dport === 9000 ? 9000 : 41234,
    }));
    const merged = one.flatMap((p, i) => [p, two[i]!]);
    return merged.map((p, i) => ({ ...p, n: i + 1, t: i }));
  }

  it('shows all connections with their phases in separate bracket lanes', () => {
    const layout = layoutSequence(interleaved());
    expect(layout.lifelines).toHaveLength(3);
    expect(layout.lanes).toBe(2);
    expect(layout.brackets.map((b) => [b.conn, b.phase, b.lane])).toEqual([
      [1, 'handshake', 0],
      [2, 'handshake', 1],
      [1, 'teardown', 0],
      [2, 'teardown', 1],
    ]);
  });

  it('keeps one connection’s packets and lifelines', () => {
    const layout = layoutSequence(interleaved(), { conn: 2 });
    expect(layout.lifelines.map((l) => l.endpoint.port)).toEqual([41234, 9000]);
    expect(layout.packets).toBe(11);
    const arrows = layout.rows.filter((row): row is PacketRow => row.kind === 'packet');
    expect(arrows.every((row) => row.packet.conn === 2)).toBe(true);
    expect(layout.lanes).toBe(1);
  });

  it('keeps the ICMP error that reports on the filtered flow', () => {
    const layout = layoutSequence(recorded('udp.pcap'), { conn: 2 });
    expect(layout.rows.map((row) => row.kind === 'packet' && row.packet.proto)).toEqual([
      'udp',
      'icmp',
    ]);
  });
});

describe('scale', () => {
  it('lays out 5 000 packets in a few milliseconds', () => {
    const packets = syntheticCapture({ connections: 100, exchanges: 10, burst: 6 });
    expect(packets.length).toBeGreaterThanOrEqual(5000);
    let best = Infinity;
    // The best of a few runs: the first ones pay for the JIT. Timed in CPU time, not wall time:
    // on a busy CI machine other processes take the core mid-run, which says nothing of layout.
    for (let run = 0; run < 8; run++) {
      const started = process.cpuUsage();
      expect(layoutSequence(packets).packets).toBe(packets.length);
      const { user, system } = process.cpuUsage(started);
      best = Math.min(best, (user + system) / 1000);
    }
    expect(best).toBeLessThan(25);
  });
});
