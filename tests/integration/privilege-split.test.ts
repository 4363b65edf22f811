/**
 * The privilege split of `sandbox-server/main.ts`: the process that listens for browsers holds
 * no privilege, runs still work through the jailer, and a jailer that dies mid-run ends that run
 * with a clear message, is replaced, and leaves nothing behind; so does one that stops answering.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLessonFiles } from '../../lib/lessons/load-definition.ts';
import { JAILER_LOST } from '../../sandbox-server/front/remote-run.ts';
import { newRunId } from '../../sandbox-server/transport/client.ts';
import { leftoversOf, listeningPids, privilegesOf } from './server-host.ts';
import { liveServerPerFile } from './live-server.ts';

/** Short, so the hung-jailer test is quick; still far above any healthy pause of its loop. */
const HANG_SECONDS = 3;

const live = liveServerPerFile({ HANDSHAKE_JAILER_HANG_SECONDS: String(HANG_SECONDS) });
const connect = () => live.connect();

const program = (content: string) => [{ name: 'main.py', content }];

/** A server of its own on this kernel: other test files' servers run beside it. */
function serverEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HANDSHAKE_SANDBOX_PORT: '0',
    HANDSHAKE_INSTANCE: `s${process.pid.toString(36)}`,
  };
}

describe('privilege split', () => {
  it('listens for browsers in a process with no uid 0, no gid 0 and no capability', () => {
    const port = Number(new URL(live.server.url).port);
    const listeners = listeningPids(port);
    expect(listeners).toEqual([live.server.children().front]);
    const front = privilegesOf(listeners[0]!);
    expect(front.uids).toEqual([65534, 65534, 65534, 65534]);
    expect(front.gids.every((gid) => gid !== 0)).toBe(true);
    expect(front.capEff).toMatch(/^0+$/);
    // Only the jailer keeps root, and it listens on nothing.
    const { jailer } = live.server.children();
    expect(privilegesOf(jailer!).uids[0]).toBe(0);
  });

  it('runs a program and a lesson with checks through the jailer', async () => {
    const client = await connect();
    const runId = newRunId();
    client.send({ type: 'run', runId, files: program('print("through the split")') });
    expect((await client.finished(runId)).at(-1)).toMatchObject({ reason: 'completed' });
    expect(client.output(runId)).toBe('through the split\n');

    const lessonRun = newRunId();
    const files = readLessonFiles('content', 'tcp-client', 'solution');
    client.send({ type: 'run', runId: lessonRun, lesson: 'tcp-client', files });
    const messages = await client.finished(lessonRun);
    const checks = messages.find((m) => m.type === 'checks');
    expect(checks?.type === 'checks' && checks.results.every((r) => r.status === 'pass')).toBe(
      true,
    );
    // The checks come before the end, as they did before the split.
    expect(messages.findIndex((m) => m.type === 'checks')).toBe(messages.length - 2);
  });

  it('ends a run with a clear message when the jailer dies, and the next run works', async () => {
    const client = await connect();
    const runId = newRunId();
    const code = 'import time\nprint("up", flush=True)\ntime.sleep(60)\n';
    client.send({ type: 'run', runId, files: program(code) });
    await client.next('output', (m) => m.runId === runId);
    const dead = live.server.children().jailer!;
    const held = leftoversOf(live.server.instance);
    process.kill(dead, 'SIGKILL');
    const finished = await client.next('run-finished', (m) => m.runId === runId);
    expect(finished).toMatchObject({ reason: 'error', notice: JAILER_LOST });

    const next = newRunId();
    client.send({ type: 'run', runId: next, files: program('print("again")') });
    expect((await client.finished(next)).at(-1)).toMatchObject({ reason: 'completed' });
    expect(client.output(next)).toBe('again\n');
    expect(live.server.children().jailer).not.toBe(dead);
    // The new jailer swept the dead one's namespace, cgroups and processes before serving.
    expect(held.netns.length).toBeGreaterThan(0);
    expect(leftoversOf(live.server.instance, held)).toEqual({
      netns: [],
      cgroups: [],
      processes: [],
    });
  });

  it('kills and replaces a jailer that stops answering, ending its run with a message', async () => {
    const client = await connect();
    const runId = newRunId();
    const code = 'import time\nprint("up", flush=True)\ntime.sleep(60)\n';
    client.send({ type: 'run', runId, files: program(code) });
    await client.next('output', (m) => m.runId === runId);
    const hung = live.server.children().jailer!;
    const held = leftoversOf(live.server.instance);
    const stoppedAt = performance.now();
    process.kill(hung, 'SIGSTOP'); // as good as an event loop that never returns
    const finished = await client.next('run-finished', (m) => m.runId === runId);
    expect(finished).toMatchObject({ reason: 'error', notice: JAILER_LOST });
    // Silence counts from the last answer, at most a quarter of the interval before the stop.
    expect(performance.now() - stoppedAt).toBeGreaterThanOrEqual(HANG_SECONDS * 750 - 100);
    expect(live.server.log()).toMatch(
      new RegExp(`the jailer \\(pid ${hung}\\) has not answered for \\d+ ms: killing it`),
    );

    const next = newRunId();
    client.send({ type: 'run', runId: next, files: program('print("again")') });
    expect((await client.finished(next)).at(-1)).toMatchObject({ reason: 'completed' });
    expect(live.server.children().jailer).not.toBe(hung);
    expect(leftoversOf(live.server.instance, held)).toEqual({
      netns: [],
      cgroups: [],
      processes: [],
    });
  }, 60_000);

  it('refuses to start when its unprivileged front could not read the lessons', () => {
    const rootOnly = mkdtempSync(path.join(os.tmpdir(), 'handshake-content-')); // mode 0700
    try {
      const result = spawnSync(process.execPath, ['sandbox-server/main.ts'], {
        env: { ...serverEnv(), HANDSHAKE_CONTENT_DIR: rootOnly },
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        `the WebSocket front runs as uid 65534 and cannot read HANDSHAKE_CONTENT_DIR=${rootOnly} (EACCES)`,
      );
    } finally {
      rmSync(rootOnly, { recursive: true });
    }
  });

  it('refuses root as the unprivileged user', () => {
    const result = spawnSync(process.execPath, ['sandbox-server/main.ts'], {
      env: { ...serverEnv(), HANDSHAKE_USER: 'root' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('HANDSHAKE_USER=root: is root');
  });
});
