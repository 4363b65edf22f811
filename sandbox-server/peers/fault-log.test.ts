import { describe, expect, it } from 'vitest';
import { FaultLog, MAX_FAULT_LINES, MAX_FAULT_REPORTS, plural, type Fault } from './fault-log.ts';

const fault = (index: number): Fault => ({
  proto: 'udp',
  action: 'dropped',
  from: '127.0.0.1:40000',
  to: '127.0.0.1:9000',
  index,
  bytes: 6,
  detail: `dropped datagram #${index}`,
});

describe('FaultLog', () => {
  it('reports each fault on the report channel and logs its sentence', () => {
    const reports: Array<[string, Record<string, unknown> | undefined]> = [];
    const lines: string[] = [];
    const log = new FaultLog({
      log: (line) => lines.push(line),
      report: (e, f) => reports.push([e, f]),
    });
    log.add(fault(1));
    expect(reports).toEqual([['fault', fault(1)]]);
    expect(lines).toEqual(['dropped datagram #1']);
  });

  it('bounds both: past the limits, one report and one line say so, then silence', () => {
    const reports: string[] = [];
    const lines: string[] = [];
    const log = new FaultLog({
      log: (line) => lines.push(line),
      report: (event) => reports.push(event),
    });
    for (let index = 1; index <= MAX_FAULT_REPORTS + 50; index++) log.add(fault(index));
    expect(reports.filter((event) => event === 'fault')).toHaveLength(MAX_FAULT_REPORTS);
    expect(reports.filter((event) => event === 'fault-limit')).toHaveLength(1);
    expect(reports).toHaveLength(MAX_FAULT_REPORTS + 1);
    expect(lines).toHaveLength(MAX_FAULT_LINES + 1);
    expect(lines.at(-1)).toBe(
      `more faults follow; only the first ${MAX_FAULT_LINES} are written here`,
    );
  });

  it('counts words for people', () => {
    expect([plural(1, 'byte'), plural(3, 'byte'), plural(0, 'segment')]).toEqual([
      '1 byte',
      '3 bytes',
      '0 segments',
    ]);
  });
});
