/**
 * The tcp-teardown lesson's close check on recorded-shape runs: the client's last ACK of a FIN
 * that carries the end of the reply acknowledges the payload and the FIN (seq + len + 1).
 */
import { describe, expect, it } from 'vitest';
import lesson from '../../content/05-tcp-teardown/check.ts';
import type { RecordedPacket, RunRecord } from '../../lib/lessons/define.ts';

const CLIENT = 40000;
const SERVER = 8080;

/** A TCP packet of the client's connection, numbered in order. */
function tcp(n: number, up: boolean, flags: string[], seq: number, len = 0, ack?: number) {
  return {
    n,
    t: n,
    proto: 'tcp',
    src: '127.0.0.1',
    dst: '127.0.0.1',
    sport: up ? CLIENT : SERVER,
    dport: up ? SERVER : CLIENT,
    flags,
    seq,
    ack,
    len,
  } as RecordedPacket;
}

/** A finished run whose server FIN (packet 8) carries the last 39 bytes of the reply. */
function runWithFinalAck(finalAck: number): RunRecord {
  const client = {
    name: 'client.py',
    kind: 'learner',
    stdout: '',
    stderr: '',
    end: 'exited',
    exitCode: 0,
    signal: null,
    durationMs: 100,
    reports: [],
  };
  return {
    reason: 'completed',
    processes: { 'client.py': client },
    reports: [],
    faults: [],
    seed: 1,
    packets: [
      tcp(1, true, ['SYN'], 0),
      tcp(2, false, ['SYN', 'ACK'], 0, 0, 1),
      tcp(3, true, ['ACK'], 1, 0, 1),
      tcp(4, true, ['PSH', 'ACK'], 1, 39, 1),
      tcp(5, true, ['FIN', 'ACK'], 40, 0, 1),
      tcp(6, false, ['ACK'], 1, 0, 41),
      tcp(7, false, ['PSH', 'ACK'], 1, 16, 41),
      tcp(8, false, ['FIN', 'PSH', 'ACK'], 17, 39, 41),
      tcp(9, true, ['ACK'], 41, 0, finalAck),
    ],
  } as unknown as RunRecord;
}

const closedCleanly = lesson.checks!.find((check) => check.id === 'closed-cleanly')!;
const en = (text: { en: string }): string => text.en;

describe('tcp-teardown closed-cleanly', () => {
  it('takes the ACK of a FIN carrying data as seq + payload + 1 (and sees FIN_WAIT_2)', async () => {
    const outcome = await closedCleanly.run(runWithFinalAck(17 + 39 + 1), en);
    expect(outcome.pass, outcome.message).toBe(true);
    expect(outcome.message).toContain('your last ACK #9');
    expect(outcome.message).toContain('FIN_WAIT_2 from #6 to #8');
  });

  it('does not take an ACK of the FIN segment without its payload as the final ACK', async () => {
    const outcome = await closedCleanly.run(runWithFinalAck(17 + 1), en);
    expect(outcome.pass).toBe(false);
    expect(outcome.message).toContain("never acknowledged the server's FIN (#8)");
  });
});
