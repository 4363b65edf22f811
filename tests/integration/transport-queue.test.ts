/**
 * The slot pool as learners see it, with one slot and a queue of two: queue positions that move,
 * FIFO order, and an honest "busy" when the queue is full.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNotice } from '../../lib/notices/catalog.ts';
import { newRunId, ProtocolClient } from '../../sandbox-server/transport/client.ts';
import { launchServer, type LaunchedServer } from '../../sandbox-server/transport/launch.ts';

let server: LaunchedServer;

beforeAll(async () => {
  server = await launchServer({ HANDSHAKE_SLOTS: '1', HANDSHAKE_QUEUE_MAX: '2' });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

const waitFor = (marker: string) => [
  {
    name: 'main.py',
    content: `import sys\nprint("${marker}", flush=True)\nsys.stdin.readline()\n`,
  },
];

describe('queue with one slot', () => {
  it('shows moving positions, runs in order, and says busy when full', async () => {
    const learners = await Promise.all(
      [1, 2, 3, 4].map(() => ProtocolClient.connect(server.url, { timeoutMs: 20_000 })),
    );
    const [a, b, c, d] = learners as [
      ProtocolClient,
      ProtocolClient,
      ProtocolClient,
      ProtocolClient,
    ];
    const ids = ['a', 'b', 'c', 'd'].map((name) => newRunId(name)) as [
      string,
      string,
      string,
      string,
    ];

    a.send({ type: 'run', runId: ids[0], files: waitFor('A') });
    await a.next('output', (m) => m.runId === ids[0]);
    b.send({ type: 'run', runId: ids[1], files: waitFor('B') });
    expect(await b.next('queued')).toMatchObject({ runId: ids[1], position: 1 });
    c.send({ type: 'run', runId: ids[2], files: waitFor('C') });
    expect(await c.next('queued')).toMatchObject({ runId: ids[2], position: 2 });

    d.send({ type: 'run', runId: ids[3], files: waitFor('D') });
    const busy = await d.next('busy');
    expect(busy.runId).toBe(ids[3]);
    expect(busy.notice).toMatchObject({ code: 'busy', params: { slots: 1, waiting: 2 } });
    expect(renderNotice(busy.notice, 'en').match(/try again/gi)).toHaveLength(1);

    // A ends: B gets the slot, C moves up to position 1.
    a.send({ type: 'eof', runId: ids[0], process: 'main.py' });
    await a.finished(ids[0]);
    await b.next('output', (m) => m.runId === ids[1]);
    expect(await c.next('queued')).toMatchObject({ position: 1 });
    b.send({ type: 'eof', runId: ids[1], process: 'main.py' });
    expect((await b.finished(ids[1])).at(-1)).toMatchObject({ reason: 'completed' });
    await c.next('output', (m) => m.runId === ids[2]);
    c.send({ type: 'stop', runId: ids[2] });
    await c.finished(ids[2]);
    for (const learner of learners) learner.close();
  });
});
