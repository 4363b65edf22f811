import { describe, expect, it } from 'vitest';
import { renderPeerLine, type PeerLine } from '../../lib/notices/peer-lines.ts';
import { FaultLog, MAX_FAULT_LINES, MAX_FAULT_REPORTS, type Fault } from './fault-log.ts';

const fault = (index: number): Fault => ({
  proto: 'udp',
  action: 'dropped',
  from: '127.0.0.1:40000',
  to: '127.0.0.1:9000',
  index,
  bytes: 6,
  note: {
    code: 'fault-datagram-dropped',
    params: {
      index,
      from: '127.0.0.1:40000',
      bytes: 6,
      toward: '127.0.0.1:9001',
      back: false,
      queueFull: false,
    },
  },
});

describe('FaultLog', () => {
  it('reports each fault on the report channel and says its note in the terminal', () => {
    const reports: Array<[string, Record<string, unknown> | undefined]> = [];
    const lines: PeerLine[] = [];
    new FaultLog({
      say: (line) => lines.push(line),
      report: (e, f) => reports.push([e, f]),
    }).add(fault(1));
    expect(reports).toEqual([['fault', fault(1)]]);
    expect(lines).toEqual([fault(1).note]);
    expect(renderPeerLine(lines[0]!, 'en')).toBe(
      'dropped datagram #1 from 127.0.0.1:40000 (6 bytes), on its way to 127.0.0.1:9001',
    );
    expect(renderPeerLine(lines[0]!, 'zh')).toBe(
      '丢弃了来自 127.0.0.1:40000 的第 1 个数据报（6 字节），它正发往 127.0.0.1:9001',
    );
  });

  it('bounds both: past the limits, one report and one line say so, then silence', () => {
    const reports: string[] = [];
    const lines: PeerLine[] = [];
    const log = new FaultLog({
      say: (line) => lines.push(line),
      report: (event) => reports.push(event),
    });
    for (let index = 1; index <= MAX_FAULT_REPORTS + 50; index++) log.add(fault(index));
    expect(reports.filter((event) => event === 'fault')).toHaveLength(MAX_FAULT_REPORTS);
    expect(reports.filter((event) => event === 'fault-limit')).toHaveLength(1);
    expect(reports).toHaveLength(MAX_FAULT_REPORTS + 1);
    expect(lines).toHaveLength(MAX_FAULT_LINES + 1);
    expect(renderPeerLine(lines.at(-1)!, 'en')).toBe(
      `more faults follow; only the first ${MAX_FAULT_LINES} are written here`,
    );
  });
});
