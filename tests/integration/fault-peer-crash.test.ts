/**
 * A peer that crashes mid-run (issue 3's fault test): its end is reported as its own
 * (process-exited with the signal or status), the run ends at once with a sentence naming the
 * peer instead of hanging until the wall clock, and nothing of the run remains.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import { ownCgroupMounts } from '../../sandbox-server/jail/cgroups/own.ts';
import { CGROUP_PARENT } from '../../sandbox-server/jail/cgroups/driver.ts';
import { eventOf, expectNothingLeft, outputOf, py, runFiles } from './sandbox-harness.ts';

/**
 * A client that connects, says so, then waits for an echo that will never come. The peer's
 * death closes the connection (recv returns b""), so it then sleeps: it must be the run's end
 * that stops it, not its own exit racing with that end.
 */
const PATIENT_CLIENT = py`
  import socket, time
  with socket.create_connection(("127.0.0.1", 8080)) as sock:
      print("connected", flush=True)
      sock.recv(100)
      time.sleep(30)
`;

/** The peer's Node program among the processes of the run's peer leaf `key`. */
function peerProgram(netns: string, key: string): number {
  const mounts = ownCgroupMounts();
  const root = mounts.v1.get('pids') ?? mounts.v2!;
  const procs = path.join(root, CGROUP_PARENT, netns, 'peer', key, 'cgroup.procs');
  const pids = readFileSync(procs, 'utf8').split('\n').filter(Boolean).map(Number);
  const node = path.basename(readlinkSync('/proc/self/exe'));
  // The outer bwrap shows the same command line; the program is the one running Node.
  const found = pids.find((pid) => path.basename(readlinkSync(`/proc/${pid}/exe`)) === node);
  if (found === undefined) throw new Error(`no node process among ${pids.join(', ')}`);
  return found;
}

describe('a peer that crashes mid-run', () => {
  it('is reported as ended by its signal, and the run ends with a message naming it', async () => {
    const lesson: LessonDefinition = {
      processes: [{ peer: 'tcp-echo', name: 'echo', port: 8080 }, { file: 'client.py' }],
      limits: { wallSeconds: 20 },
    };
    let killed = false;
    const run = await runFiles(
      { 'client.py': PATIENT_CLIENT },
      {
        lesson,
        onEvent: (event, handle) => {
          if (killed || event.type !== 'output' || event.process !== 'client.py') return;
          killed = true;
          process.kill(peerProgram(handle.sandbox()!.netns, 'p0'), 'SIGKILL');
        },
      },
    );
    expect(outputOf(run, 'client.py')).toBe('connected\n');
    expect(eventOf(run, 'process-exited', 'peer:echo')).toMatchObject({
      end: 'exited',
      signal: 'SIGKILL',
      exitCode: null,
    });
    expect(eventOf(run, 'process-exited', 'client.py')).toMatchObject({ end: 'killed' });
    const finished = eventOf(run, 'run-finished');
    expect(finished).toMatchObject({
      reason: 'error',
      notice: {
        code: 'peer-crashed',
        params: { label: 'peer: echo', signal: 'SIGKILL', exitCode: null },
      },
    });
    expect(finished.durationMs).toBeLessThan(5000);
    expectNothingLeft(run.info);
  });

  it('ends the run when a server peer cannot listen, pointing at its terminal', async () => {
    const lesson: LessonDefinition = {
      processes: [
        { peer: 'tcp-echo', name: 'one', port: 8080 },
        { peer: 'tcp-echo', name: 'two', port: 8080 },
        { file: 'client.py' },
      ],
    };
    const run = await runFiles({ 'client.py': PATIENT_CLIENT }, { lesson });
    expect(outputOf(run, 'peer:two')).toContain(
      'could not listen on 127.0.0.1:8080: listen EADDRINUSE',
    );
    expect(eventOf(run, 'process-exited', 'peer:two')).toMatchObject({
      end: 'exited',
      exitCode: 1,
    });
    expect(eventOf(run, 'run-finished')).toMatchObject({
      reason: 'error',
      notice: { code: 'peer-crashed', params: { label: 'peer: two', signal: null, exitCode: 1 } },
    });
    // The learner's program was never started against a half-working lesson.
    expect(run.events.some((e) => e.type === 'process-started' && e.process === 'client.py')).toBe(
      false,
    );
    expectNothingLeft(run.info);
  });
});
