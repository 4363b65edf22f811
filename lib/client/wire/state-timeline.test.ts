import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePcap } from '../../packets/parse-pcap.ts';
import { connectionTimelines, stateAfter } from './state-timeline.ts';
import type { ConnectionTimeline } from './state-timeline.ts';
import { syntheticCapture } from './synthetic-capture.ts';

function timelines(name: string): ConnectionTimeline[] {
  const bytes = readFileSync(new URL(`../../packets/fixtures/${name}`, import.meta.url));
  return connectionTimelines(parsePcap(new Uint8Array(bytes)).packets);
}

/** Each end's states in order, from its inferred initial state. */
function sequences(timeline: ConnectionTimeline): { a: string[]; b: string[] } {
  const of = (end: 'a' | 'b') =>
    [timeline.initial[end], ...timeline.steps.map((step) => step[end])].filter(
      (state) => state !== null,
    ) as string[];
  return { a: of('a'), b: of('b') };
}

describe('connectionTimelines', () => {
  it('shows both ends of a recorded session through the handshake and four-way teardown', () => {
    const [timeline, ...rest] = timelines('tcp-session.pcap');
    expect(rest).toEqual([]);
    expect(timeline!.b.port).toBe(5000);
    expect(sequences(timeline!)).toEqual({
      a: ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT'],
      b: ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED'],
    });
    expect(timeline!.steps.map((step) => `${step.n} ${step.flags} ${step.sender}`)).toEqual([
      '1 SYN a',
      '2 SYN, ACK b',
      '3 ACK a',
      '10 FIN, ACK a',
      '11 ACK b',
      '12 FIN, ACK b',
      '13 ACK a',
    ]);
  });

  it('ends the active closer in TIME_WAIT and the passive closer in CLOSED', () => {
    const [timeline] = timelines('tcp-session.pcap');
    const last = timeline!.steps.length - 1;
    expect([stateAfter(timeline!, 'a', last), stateAfter(timeline!, 'b', last)]).toEqual([
      'TIME_WAIT',
      'CLOSED',
    ]);
    expect(stateAfter(timeline!, 'b', -1)).toBe('LISTEN');
    expect(stateAfter(timeline!, 'a', 2)).toBe('ESTABLISHED');
  });

  it('shows a refused connection: SYN_SENT, then CLOSED, and no socket on the other end', () => {
    const [timeline] = timelines('tcp-refused.pcap');
    expect(sequences(timeline!)).toEqual({ a: ['CLOSED', 'SYN_SENT', 'CLOSED'], b: ['CLOSED'] });
  });

  it('has no timeline for UDP, which has no connection state', () => {
    expect(timelines('udp.pcap')).toEqual([]);
  });

  it('keeps connections apart and learns owners from the packets', () => {
    const all = connectionTimelines(syntheticCapture({ connections: 3, exchanges: 1 }));
    expect(all.map((t) => [t.conn, t.a.owner, t.b.owner, t.steps.length])).toEqual([
      [1, 'client.py', 'server.py', 7],
      [2, 'client.py', 'server.py', 7],
      [3, 'client.py', 'server.py', 7],
    ]);
  });
});
