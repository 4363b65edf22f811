import { describe, expect, it } from 'vitest';
import { crowdMetrics, type CrowdEvent } from './crowd-metrics.ts';

/** A timeline written as `[event, connection, extra?]`, `t` counting up from 0. */
function timeline(...rows: Array<[string, number, Partial<CrowdEvent>?]>): CrowdEvent[] {
  return rows.map(([event, connection, extra], t) => ({ event, connection, t, ...extra }));
}

const stalledOpens = (connection: number): Array<[string, number, Partial<CrowdEvent>?]> => [
  ['connected', connection, { stalled: true }],
  ['sent', connection],
];

/** A normal connection's whole life: one line echoed, then a clean close. */
const served = (connection: number): Array<[string, number, Partial<CrowdEvent>?]> => [
  ['connected', connection, { stalled: false }],
  ['sent', connection],
  ['received', connection],
  ['reply-matched', connection],
  ['closed', connection, { clean: true }],
];

describe('crowd metrics', () => {
  it('count every connection answered while the stalled one is open (a concurrent server)', () => {
    const events = timeline(
      ...stalledOpens(1),
      ['connected', 2, { stalled: false }],
      ['connected', 3, { stalled: false }],
      ['sent', 2],
      ['sent', 3],
      ['reply-matched', 3],
      ['closed', 3, { clean: true }],
      ['reply-matched', 2],
      ['closed', 2, { clean: true }],
      ['closed', 1, { clean: true }],
    );
    expect(crowdMetrics(events, 1)).toEqual({ served: 2, servedWhileStalled: 2, maxInFlight: 2 });
  });

  it('count none while stalled when the server only answers once the stalled one is gone', () => {
    // A sequential server: connection 1 holds it; the others time out, or are answered after.
    const events = timeline(
      ...stalledOpens(1),
      ['connected', 2, { stalled: false }],
      ['connected', 3, { stalled: false }],
      ['sent', 2],
      ['sent', 3],
      ['timeout', 2],
      ['closed', 2, { clean: false }],
      ['closed', 1, { clean: false }],
      ['reply-matched', 3],
      ['closed', 3, { clean: true }],
    );
    expect(crowdMetrics(events, 1)).toEqual({ served: 1, servedWhileStalled: 0, maxInFlight: 2 });
  });

  it('count a connection as answered only after its last line, and in flight one line at a time', () => {
    const events = timeline(
      ...stalledOpens(1),
      ['connected', 2, { stalled: false }],
      ['sent', 2],
      ['reply-matched', 2],
      ['sent', 2],
      ['closed', 1, { clean: true }],
      ['reply-matched', 2],
      ['closed', 2, { clean: true }],
    );
    // Its first echo came while connection 1 stalled, its last one after: not while stalled.
    expect(crowdMetrics(events, 2)).toEqual({ served: 1, servedWhileStalled: 0, maxInFlight: 1 });
  });

  it('keep counting while stalled as long as one of several stalled connections is open', () => {
    const events = timeline(
      ...stalledOpens(1),
      ...stalledOpens(2),
      ['closed', 1, { clean: true }],
      ...served(3),
      ['closed', 2, { clean: true }],
      ...served(4),
    );
    expect(crowdMetrics(events, 1)).toEqual({ served: 2, servedWhileStalled: 1, maxInFlight: 1 });
  });

  it('do not count as served a wrong echo, a missing one or an unclean close', () => {
    const events = timeline(
      ...stalledOpens(1),
      ['connected', 2, { stalled: false }],
      ['sent', 2],
      ['reply-mismatch', 2],
      ['closed', 2, { clean: false }],
      ['connected', 3, { stalled: false }],
      ['sent', 3],
      ['reply-matched', 3],
      ['closed', 3, { clean: false }],
      ['timeout', 4],
    );
    expect(crowdMetrics(events, 1)).toEqual({ served: 0, servedWhileStalled: 0, maxInFlight: 1 });
  });

  it('never count a stalled connection as in flight or served, even when data comes back', () => {
    const events = timeline(...stalledOpens(1), ['received', 1], ...served(2), [
      'closed',
      1,
      { clean: true },
    ]);
    expect(crowdMetrics(events, 1)).toEqual({ served: 1, servedWhileStalled: 1, maxInFlight: 1 });
  });

  it('measure how many waited at once: a burst, then one at a time', () => {
    const burst = timeline(
      ...[2, 3, 4, 5].map((c): [string, number] => ['sent', c]),
      ...[2, 3, 4, 5].map((c): [string, number] => ['reply-matched', c]),
    );
    expect(crowdMetrics(burst, 1).maxInFlight).toBe(4);
    const serial = timeline(
      ...[2, 3, 4, 5].flatMap((c): Array<[string, number]> => [
        ['sent', c],
        ['received', c],
        ['reply-matched', c],
      ]),
    );
    expect(crowdMetrics(serial, 1).maxInFlight).toBe(1);
  });

  it('give zeros for an empty timeline', () => {
    expect(crowdMetrics([], 1)).toEqual({ served: 0, servedWhileStalled: 0, maxInFlight: 0 });
  });
});
