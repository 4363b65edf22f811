import { describe, expect, it } from 'vitest';
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
  it('reports how long data is still on its way, with a margin', () => {
    const { io, reports } = recorder();
    new BusyHorizon(io).sendsAt(performance.now() + 300);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.event).toBe(BUSY_REPORT);
    expect(reports[0]!.ms).toBeGreaterThanOrEqual(300);
    expect(reports[0]!.ms).toBeLessThan(400);
  });

  it('says nothing for data already covered by the last report', () => {
    const { io, reports } = recorder();
    const busy = new BusyHorizon(io);
    const now = performance.now();
    busy.sendsAt(now + 300);
    busy.sendsAt(now + 320);
    busy.sendsAt(now + 100);
    expect(reports).toHaveLength(1);
    busy.sendsAt(now + 600);
    expect(reports).toHaveLength(2);
    expect(reports[1]!.ms).toBeGreaterThanOrEqual(600 - (performance.now() - now));
  });
});
