/**
 * A fault peer still holding delayed data when the learner's programs have exited delivers it
 * before the run ends: a UDP sender or a TCP client that sends and exits at once must still see
 * its data reach the peer behind the relay or proxy (and the capture must show it).
 */
import { describe, expect, it } from 'vitest';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import { eventOf, expectNothingLeft, py, runFiles, type TestRun } from './sandbox-harness.ts';

const DELAY_MS = 400;

/** What the echo peer received, in order. */
function echoed(run: TestRun): string[] {
  return run.record.reports
    .filter((report) => report.process === 'peer:echo' && report.event === 'received')
    .map((report) => String(report.data));
}

/** The learner's `file` → a relay or proxy delaying toward → an echo peer that reports. */
function delayedThrough(
  fault: 'udp-relay' | 'tcp-proxy',
  echo: 'udp-echo' | 'tcp-echo',
  file: string,
): LessonDefinition {
  return {
    processes: [
      { peer: echo, name: 'echo', port: 9001 } as const,
      {
        peer: fault,
        name: 'delay',
        port: 9000,
        options: { target: 9001, delayMs: DELAY_MS, direction: 'to-target' },
      },
      { file },
    ],
  };
}

describe('delayed data at the end of a run', () => {
  it('reaches the UDP peer behind the relay after the sender has exited', async () => {
    const lesson = delayedThrough('udp-relay', 'udp-echo', 'sender.py');
    const sender = py`
      import socket
      sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      for number in range(3):
          sock.sendto(f"msg {number}".encode(), ("127.0.0.1", 9000))
      print("sent 3")
    `;
    const run = await runFiles({ 'sender.py': sender }, { lesson });
    expect(eventOf(run, 'run-finished')).toMatchObject({ reason: 'completed' });
    expect(echoed(run)).toEqual(['msg 0', 'msg 1', 'msg 2']);
    const toEcho = (run.record.packets ?? []).filter((p) => p.proto === 'udp' && p.dport === 9001);
    expect(toEcho).toHaveLength(3);
    expect(eventOf(run, 'run-finished').durationMs).toBeGreaterThanOrEqual(DELAY_MS);
    expectNothingLeft(run.info);
  });

  it('reaches the TCP peer behind the proxy after the client has closed and exited', async () => {
    const lesson = delayedThrough('tcp-proxy', 'tcp-echo', 'client.py');
    const client = py`
      import socket
      with socket.create_connection(("127.0.0.1", 9000)) as sock:
          sock.sendall(b"last words")
      print("sent")
    `;
    const run = await runFiles({ 'client.py': client }, { lesson });
    expect(eventOf(run, 'run-finished')).toMatchObject({ reason: 'completed' });
    expect(echoed(run)).toEqual(['last words']);
    expectNothingLeft(run.info);
  });
});
