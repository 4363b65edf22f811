import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePcap } from './parse-pcap.ts';
import { stateTimelines } from './state-timeline.ts';

const packetsOf = (name: string) =>
  parsePcap(new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)))).packets;

describe('stateTimelines', () => {
  it('gives the client and the server of a session their whole life', () => {
    const packets = packetsOf('tcp-session.pcap');
    const client = `127.0.0.1:${packets[0]!.sport}`;
    expect(
      stateTimelines(packets).map((row) => [
        row.endpoint,
        row.changes.map((c) => `${c.n}:${c.state}`),
      ]),
    ).toEqual([
      [client, ['1:SYN_SENT', '2:ESTABLISHED', '10:FIN_WAIT_1', '11:FIN_WAIT_2', '12:TIME_WAIT']],
      [
        '127.0.0.1:5000',
        ['2:SYN_RECEIVED', '3:ESTABLISHED', '10:CLOSE_WAIT', '12:LAST_ACK', '13:CLOSED'],
      ],
    ]);
  });

  it('brackets IPv6 addresses and ignores UDP', () => {
    const rows = stateTimelines(packetsOf('ipv6.pcap'));
    expect(rows.map((row) => row.endpoint)).toEqual([
      expect.stringMatching(/^\[::1\]:\d+$/),
      '[::1]:5000',
    ]);
    expect(rows.every((row) => row.conn === 1)).toBe(true);
  });

  it('shows a refused connect as SYN_SENT then CLOSED, and no row for the closed port', () => {
    const rows = stateTimelines(packetsOf('tcp-refused.pcap'));
    expect(rows.map((row) => row.changes.map((c) => c.state))).toEqual([['SYN_SENT', 'CLOSED']]);
  });
});
