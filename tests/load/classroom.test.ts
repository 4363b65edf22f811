/**
 * A classroom at once, through the real server (issue 3's load tests; how fast is `npm run
 * bench`'s to say, not asserted here): 40 learners with the lesson open press Run together and
 * all pass, with queue positions that only count down; ten hostile runs beside a learner's runs
 * end by their own limits while every one of the learner's runs completes; and once the server
 * stops, nothing of any run is left on the host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLessonFiles } from '../../lib/lessons/load-definition.ts';
import { newRunId, ProtocolClient } from '../../sandbox-server/transport/client.ts';
import { launchServer, type LaunchedServer } from '../../sandbox-server/transport/launch.ts';
import { leftoversOf } from '../integration/server-host.ts';

const CLASS = 40;
/** Fewer slots than learners on any machine, so the queue is part of what is tested. */
const SLOTS = 8;
const LESSON = 'tcp-client';

const HOSTILE: Record<string, { code: string; ends: string[] }> = {
  'fork bomb': {
    code: 'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n',
    ends: ['process-limit'],
  },
  'memory balloon': {
    code: 'blocks = []\nwhile True:\n    blocks.append(bytearray(16 * 1024 * 1024))\n',
    ends: ['memory-limit'],
  },
  'output flood': {
    code: 'import sys\nwhile True:\n    sys.stdout.write("x" * 1000 + "\\n")\n',
    ends: ['output-limit'],
  },
  // Stopped once the learner's runs are done (or its CPU budget ran out first).
  'CPU spin': { code: 'while True:\n    pass\n', ends: ['stopped', 'cpu-limit'] },
};

let server: LaunchedServer;
let jailer: number | undefined;
const clients: ProtocolClient[] = [];

async function connect(): Promise<ProtocolClient> {
  const client = await ProtocolClient.connect(server.url, { timeoutMs: 60_000 });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await launchServer({ HANDSHAKE_SLOTS: String(SLOTS) });
  jailer = server.children().jailer;
});

afterAll(async () => {
  for (const client of clients) client.close();
  await server?.stop();
});

describe('a classroom under load', () => {
  it('runs 40 learners pressing Run together: all pass, and queue positions only count down', async () => {
    const learners = await Promise.all(Array.from({ length: CLASS }, connect));
    for (const learner of learners) learner.send({ type: 'viewing', lesson: LESSON });
    const files = readLessonFiles('content', LESSON, 'solution');
    const runs = learners.map((learner) => {
      const runId = newRunId('class');
      learner.send({ type: 'run', runId, lesson: LESSON, files });
      return learner.finished(runId);
    });
    const queued: number[][] = [];
    for (const messages of await Promise.all(runs)) {
      expect(messages.at(-1)).toMatchObject({ type: 'run-finished', reason: 'completed' });
      const checks = messages.find((m) => m.type === 'checks');
      expect(checks?.type === 'checks' && checks.results.every((r) => r.status === 'pass')).toBe(
        true,
      );
      const positions = messages.flatMap((m) => (m.type === 'queued' ? [m.position] : []));
      expect([...positions].sort((a, b) => b - a)).toEqual(positions);
      queued.push(positions);
    }
    // More learners than slots: some waited, none longer than the class is large.
    expect(queued.filter((positions) => positions.length > 0).length).toBeGreaterThan(0);
    expect(Math.max(...queued.flat())).toBeLessThanOrEqual(CLASS - SLOTS);
  }, 120_000);

  it('ends ten hostile runs by their own limits while a learner beside them runs to completion', async () => {
    const kinds = Object.keys(HOSTILE);
    const hostile = await Promise.all(Array.from({ length: 10 }, connect));
    const attacks = hostile.map((client, i) => {
      const kind = kinds[i % kinds.length]!;
      const runId = newRunId('hostile');
      client.send({
        type: 'run',
        runId,
        files: [{ name: 'main.py', content: HOSTILE[kind]!.code }],
      });
      return { client, runId, kind };
    });
    const learner = await connect();
    for (let i = 0; i < 10; i++) {
      const runId = newRunId('calm');
      learner.send({ type: 'run', runId, files: [{ name: 'main.py', content: `print(${i})\n` }] });
      expect((await learner.finished(runId)).at(-1)).toMatchObject({ reason: 'completed' });
      expect(learner.output(runId)).toBe(`${i}\n`);
    }
    // Each attack but the spin ends by its own limit; the spins are stopped once those are done.
    const endings = attacks.map(async ({ client, runId }) => (await client.finished(runId)).at(-1));
    const ends = (kind: string) => HOSTILE[kind]!.ends;
    await Promise.all(endings.filter((_, i) => !ends(attacks[i]!.kind).includes('stopped')));
    for (const { client, runId } of attacks) client.send({ type: 'stop', runId });
    for (const [i, ending] of endings.entries()) {
      const finished = await ending;
      expect(ends(attacks[i]!.kind), `${attacks[i]!.kind} ended`).toContain(
        finished?.type === 'run-finished' ? finished.reason : finished?.type,
      );
    }
  }, 120_000);

  it('leaves no namespace, cgroup or process of any run once the server stops', async () => {
    expect(jailer).toBeDefined();
    expect(await server.stop()).toBe(0);
    expect(leftoversOf(server.instance)).toEqual({ netns: [], cgroups: [], processes: [] });
  });
});
