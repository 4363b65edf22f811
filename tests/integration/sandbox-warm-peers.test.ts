/**
 * Sandboxes made ahead with a lesson's peers already running: a run that takes one sees exactly
 * what a cold run sees (the peer's first words, its reports, the start order), gets a fresh
 * peer that no earlier run touched, and leaves nothing behind; disposing of the pool gives back
 * what waits in it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import { listNetns } from '../../sandbox-server/jail/netns.ts';
import { eventOf, expectNothingLeft, outputOf, py, runFiles, testHost } from './sandbox-harness.ts';

testHost.configure({ warmSandboxes: 2 });
afterAll(() => testHost.disposeAsync());

const ECHO_LESSON: LessonDefinition = {
  processes: [{ peer: 'tcp-echo', name: 'echo', port: 8080 }, { file: 'client.py' }],
};
const client = (message: string) => py`
  import socket
  with socket.create_connection(("127.0.0.1", 8080)) as sock:
      sock.sendall(b"${message}")
      print(sock.recv(100).decode())
`;

/** Runs until one run has taken a warm sandbox (the first run only asks the pool to fill). */
async function warmRun(files: Record<string, string>, lesson: LessonDefinition) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const before = testHost.warm.taken;
    const run = await runFiles(files, { lesson });
    if (testHost.warm.taken > before) return run;
  }
  throw new Error('no run found a warm sandbox');
}

describe('warm sandboxes', () => {
  it('give a run a fresh, listening peer that says what a cold one says', async () => {
    const first = await warmRun({ 'client.py': client('first') }, ECHO_LESSON);
    const second = await warmRun({ 'client.py': client('second') }, ECHO_LESSON);
    for (const [run, message] of [
      [first, 'first'],
      [second, 'second'],
    ] as const) {
      expect(outputOf(run, 'client.py')).toBe(`${message}\n`);
      expect(outputOf(run, 'peer:echo')).toMatch(/^echo: listening on 127\.0\.0\.1:8080\n/);
      const received = run.record.reports.filter((report) => report.event === 'received');
      // Fresh per run: the second peer never heard the first run's message.
      expect(received.map((report) => report.data)).toEqual([message]);
      expect(run.record.reports[0]).toMatchObject({ event: 'listening', process: 'peer:echo' });
      expect(eventOf(run, 'process-exited', 'peer:echo')).toMatchObject({ end: 'stopped' });
      expect(eventOf(run, 'run-finished')).toMatchObject({ reason: 'completed' });
      expectNothingLeft(run.info);
    }
    expect(second.info.netns).not.toBe(first.info.netns);
    // The capture started ahead saw the run's handshake, timed from this run's start.
    const packets = second.record.packets ?? [];
    const syn = packets.find((packet) => packet.dport === 8080 && packet.flags?.includes('SYN'));
    expect(syn, 'the SYN to the echo peer').toBeDefined();
    const clientStart = eventOf(second, 'process-started', 'client.py').at;
    expect(syn!.t).toBeGreaterThan(clientStart - 5);
    expect(syn!.t).toBeLessThan(eventOf(second, 'run-finished').durationMs);
    expect(syn).toMatchObject({ srcOwner: 'client.py', dstOwner: 'peer:echo' });
  });

  it('hold a client peer back until the learner server it tests is listening', async () => {
    const lesson: LessonDefinition = {
      processes: [
        { file: 'server.py' },
        { peer: 'tcp-client', port: 8080, options: { lines: ['warm'] } },
      ],
    };
    const server = py`
      import socket, time
      time.sleep(0.3)
      with socket.create_server(("127.0.0.1", 8080)) as server:
          print("listening", flush=True)
          conn, _ = server.accept()
          with conn:
              while data := conn.recv(1024):
                  conn.sendall(data)
    `;
    const run = await warmRun({ 'server.py': server }, lesson);
    const client = run.record.processes['peer:tcp-client']!;
    expect(client.exitCode).toBe(0);
    expect(client.reports.map((report) => report.event)).toContain('connected');
    // Started ahead but held back: its first attempt found the server listening, no retries.
    expect(outputOf(run, 'peer:tcp-client')).toMatch(/^client: connected to 127\.0\.0\.1:8080\n/);
    expectNothingLeft(run.info);
  });

  it('are refilled while long runs go on: only runs in their first second hold refills', async () => {
    const sleeper = { 'main.py': 'import time\ntime.sleep(2.5)\n' };
    const runs = Array.from({ length: 5 }, () => runFiles(sleeper, { limits: { wallSeconds: 5 } }));
    await delay(100);
    expect(testHost.startingRuns()).toBeGreaterThanOrEqual(5);
    // Five runs still going, but none of them starting: a refill would not wait for them.
    await delay(1100);
    expect(testHost.startingRuns()).toBe(0);
    for (const run of await Promise.all(runs))
      expect(eventOf(run, 'run-finished')).toMatchObject({ reason: 'completed' });
  });

  it('are all given back on dispose', async () => {
    await testHost.disposeAsync();
    expect(listNetns().filter((name) => name.startsWith(`hs-${testHost.instance}-`))).toEqual([]);
  });
});
