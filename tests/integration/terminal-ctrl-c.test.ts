/**
 * A Ctrl-C in the terminal of `npm start` reaches every process of its group at once. The
 * sandboxes are the server's to tear down: no jailed process may be killed behind its back
 * (a warm sandbox half made would then be given back in a hurry, or not at all), and once the
 * server has exited nothing of any run is left.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readLessonFiles } from '../../lib/lessons/load-definition.ts';
import { newRunId, ProtocolClient } from '../../sandbox-server/transport/client.ts';
import { serverChildren } from '../../sandbox-server/transport/launch.ts';
import { leftoversOf } from './server-host.ts';

/** Its own instance id: servers of other test files run on this kernel at the same time. */
const INSTANCE = `c${process.pid.toString(36)}`;

describe('Ctrl-C to the server terminal', () => {
  it('leaves the sandboxes to the server, which gives every one back before it exits', async () => {
    // Its own process group, like a terminal's foreground job.
    const server = spawn(process.execPath, ['sandbox-server/main.ts'], {
      env: { ...process.env, HANDSHAKE_SANDBOX_PORT: '0', HANDSHAKE_INSTANCE: INSTANCE },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    await expect.poll(() => /listening on (ws:\S+)/.exec(output), { timeout: 20_000 }).toBeTruthy();
    const url = /listening on (ws:\S+)/.exec(output)![1]!;
    const { jailer } = serverChildren(server.pid!);
    expect(jailer).toBeDefined();

    const client = await ProtocolClient.connect(url, { origin: 'http://localhost:3000' });
    const files = readLessonFiles('content', 'tcp-client', 'solution');
    const runId = newRunId('ctrl-c');
    client.send({ type: 'run', runId, lesson: 'tcp-client', lang: 'en', files });
    await client.finished(runId);
    // At once, while the pool makes the sandboxes of the next runs of this lesson.
    process.kill(-server.pid!, 'SIGINT');

    expect(await exited).toBe(0);
    expect(output).not.toMatch(/exited before it listened|making a warm sandbox failed/);
    expect(leftoversOf(INSTANCE)).toEqual({ netns: [], cgroups: [], processes: [] });
  });
});
