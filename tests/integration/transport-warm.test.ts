/**
 * Sandboxes made ahead for the lessons browsers show (`viewing`): through the real server, the
 * jailer keeps one per browser on a lesson (within HANDSHAKE_WARM_SANDBOXES_MAX), gives them
 * back as browsers leave, and a Run of such a browser takes one.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLessonFiles } from '../../lib/lessons/load-definition.ts';
import { newRunId, ProtocolClient } from '../../sandbox-server/transport/client.ts';
import { launchServer, type LaunchedServer } from '../../sandbox-server/transport/launch.ts';
import { leftoversOf } from './server-host.ts';

let server: LaunchedServer;

beforeAll(async () => {
  server = await launchServer({
    HANDSHAKE_WARM_SANDBOXES: '1',
    HANDSHAKE_WARM_SANDBOXES_MAX: '4',
  });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

/** Names of the sandboxes the jailer holds (each has a run cgroup; ready namespaces have none). */
function sandboxNames(): Set<string> {
  const { cgroups } = leftoversOf(server.instance);
  return new Set(cgroups.map((dir) => path.basename(dir)));
}
const sandboxesHeld = (): number => sandboxNames().size;

describe('sandboxes made ahead for the lessons on screen', () => {
  it('follows the browsers on a lesson, within the maximum, and a Run takes one', async () => {
    const clients = await Promise.all(
      Array.from({ length: 6 }, () => ProtocolClient.connect(server.url, { timeoutMs: 30_000 })),
    );
    try {
      for (const client of clients) client.send({ type: 'viewing', lesson: 'tcp-client' });
      // Six browsers, but at most four are made.
      await expect.poll(sandboxesHeld, { timeout: 30_000, interval: 100 }).toBe(4);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(sandboxesHeld()).toBe(4);

      for (const client of clients.slice(0, 4)) client.send({ type: 'viewing', lesson: null });
      await expect.poll(sandboxesHeld, { timeout: 10_000, interval: 100 }).toBe(2);

      const madeAhead = sandboxNames();
      const runId = newRunId();
      const files = readLessonFiles('content', 'tcp-client', 'solution');
      clients[4]!.send({ type: 'run', runId, lesson: 'tcp-client', files });
      const messages = await clients[4]!.finished(runId);
      const checks = messages.find((m) => m.type === 'checks');
      expect(checks?.type === 'checks' && checks.results.every((r) => r.status === 'pass')).toBe(
        true,
      );
      // It ran in one of the sandboxes made ahead, which went with it (a cold run would have
      // made and removed a sandbox of its own, leaving those untouched).
      await expect
        .poll(() => [...madeAhead].filter((name) => !sandboxNames().has(name)).length)
        .toBe(1);
    } finally {
      for (const client of clients) client.close();
    }
    // Nobody shows it any more: back to the one kept for a lesson run lately.
    await expect.poll(sandboxesHeld, { timeout: 10_000, interval: 100 }).toBe(1);
  }, 90_000);
});
