import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUSY_REPORT, BusyHorizon } from './busy-horizon.ts';
import type { PeerIo } from './peer-io.ts';

function recorder() {
  const reports: Array<{ event: string; ms: number }> = [];
  const io: PeerIo = {
    say: () => {},
    report: (event, fields) => reports.push({ event, ms: Number(fields?.ms) }),
  };
  return { io, reports };
}

describe('BusyHorizon', () => {
  // performance.now() stands still unless the test moves it, so the reported ms are exact.
  beforeEach(() => vi.useFakeTimers({ toFake: ['performance'] }));
  afterEach(() => vi.useRealTimers());

  it('reports how long data is still on its way, with a margin', () => {
    const { io, reports } = recorder();
    new BusyHorizon(io).sendsAt(performance.now() + 300);
    expect(reports).toEqual([{ event: BUSY_REPORT, ms: 350 }]);
  });

  it('says nothing for data already covered by the last report', () => {
    const { io, reports } = recorder();
    const busy = new BusyHorizon(io);
    const start = performance.now();
    busy.sendsAt(start + 300);
    busy.sendsAt(start + 320);
    busy.sendsAt(start + 100);
    expect(reports).toHaveLength(1);
    vi.advanceTimersByTime(100);
    busy.sendsAt(start + 600);
    expect(reports).toHaveLength(2);
    // From now (start + 100) until the new data has left, plus the margin.
    expect(reports[1]!.ms).toBe(550);
  });
});
