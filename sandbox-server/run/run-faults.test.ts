import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../lib/protocol.ts';
import { MAX_RECORD_FAULTS, RunFaults } from './run-faults.ts';

const note = (index: number) => ({
  code: 'fault-datagram-dropped',
  params: {
    index,
    from: '127.0.0.1:40000',
    bytes: 6,
    toward: '127.0.0.1:9001',
    back: false,
    queueFull: false,
  },
});

const report = (index: number) => ({
  event: 'fault',
  proto: 'udp',
  action: 'dropped',
  from: '127.0.0.1:40000',
  to: '127.0.0.1:9000',
  index,
  bytes: 6,
  note: note(index),
});

function faults(limit: number) {
  const events: RunEvent[] = [];
  const logged: string[] = [];
  const run = new RunFaults({
    runId: 'run-aaaaaaaa',
    limit,
    elapsed: () => 42,
    emit: (event) => events.push(event),
    log: (what) => logged.push(what),
  });
  return { run, events, logged };
}

describe('RunFaults', () => {
  it('turns a fault report into a fault event timed from the run start, and keeps it', () => {
    const { run, events } = faults(10);
    expect(run.take('peer:relay', report(3))).toBe(true);
    const fault = {
      process: 'peer:relay',
      t: 42,
      proto: 'udp',
      action: 'dropped',
      from: '127.0.0.1:40000',
      to: '127.0.0.1:9000',
      index: 3,
      bytes: 6,
      note: note(3),
    };
    expect(events).toEqual([{ type: 'fault', runId: 'run-aaaaaaaa', ...fault }]);
    expect(run.recorded).toEqual([fault]);
  });

  it('leaves every other report to the run', () => {
    const { run, events } = faults(10);
    expect(run.take('peer:relay', { event: 'listening', port: 9000 })).toBe(false);
    expect(events).toEqual([]);
  });

  it('drops a malformed fault report and says so in the server log', () => {
    const { run, events, logged } = faults(10);
    expect(run.take('peer:relay', { ...report(1), action: 'corrupted' })).toBe(true);
    expect(events).toEqual([]);
    expect(logged).toEqual(['a fault report of peer:relay']);
  });

  it('stops at the limit with one notice', () => {
    const { run, events } = faults(3);
    for (let index = 1; index <= 6; index++) run.take('peer:relay', report(index));
    expect(events.map((event) => event.type)).toEqual([
      'fault',
      'fault',
      'fault',
      'faults-truncated',
    ]);
    expect(events[3]).toEqual({
      type: 'faults-truncated',
      runId: 'run-aaaaaaaa',
      faults: 3,
      notice: { code: 'faults-truncated', params: { faults: 3 } },
    });
  });

  it('sends the notice once when a peer says it stopped reporting (fault-limit)', () => {
    const { run, events } = faults(100);
    run.take('peer:relay', report(1));
    expect(run.take('peer:relay', { event: 'fault-limit', reported: 2000 })).toBe(true);
    run.take('peer:relay', { event: 'fault-limit', reported: 2000 });
    expect(events.map((event) => event.type)).toEqual(['fault', 'faults-truncated']);
  });

  it('keeps at most MAX_RECORD_FAULTS in the record while the events go on', () => {
    const { run, events } = faults(MAX_RECORD_FAULTS + 10);
    for (let index = 1; index <= MAX_RECORD_FAULTS + 10; index++)
      run.take('peer:relay', report(index));
    expect(events).toHaveLength(MAX_RECORD_FAULTS + 10);
    expect(run.recorded).toHaveLength(MAX_RECORD_FAULTS);
    expect(run.recorded.at(-1)?.index).toBe(MAX_RECORD_FAULTS);
  });
});
