/**
 * The front's proxy to the jailer, against a scripted jailer on the other end of a socket pair:
 * what it sends, how a lesson's checks are judged here before the end is announced, and how
 * runs end when the jailer goes away.
 */
import type { Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunRecord } from '../../lib/lessons/define.ts';
import type { LoadedLesson } from '../judge/judge.ts';
import type { RunEvent } from '../../lib/protocol.ts';
import { loadConfig } from '../config.ts';
import { socketPair } from '../supervisor/socket-pair.ts';
import { EngineInputError, type CaptureFile } from '../transport/engine.ts';
import { JailerEngine } from './jailer-engine.ts';
import { JAILER_LOST } from './remote-run.ts';

const open: Socket[] = [];
afterEach(() => open.splice(0).forEach((socket) => socket.destroy()));

const FILES = [{ name: 'client.py', content: 'print(1)' }];
/** A lesson folder of its own: the engine's judge loads its check.ts, as in production. */
const CONTENT = mkdtempSync(path.join(tmpdir(), 'handshake-front-'));
mkdirSync(path.join(CONTENT, '01-echo'));
writeFileSync(path.join(CONTENT, '01-echo', 'index.en.mdx'), '---\nid: echo\n---\n');
writeFileSync(
  path.join(CONTENT, '01-echo', 'check.ts'),
  `import { defineLesson } from '@handshake/lesson';
export default defineLesson({
  processes: [{ peer: 'tcp-echo', port: 8080 }, { file: 'client.py' }],
  limits: { wallSeconds: 5 },
  checks: [
    {
      id: 'printed',
      title: { en: 'Printed', zh: '打印' },
      run: (run) => ({ pass: run.processes['client.py']?.stdout === '1\\n', message: 'ok' }),
    },
  ],
});
`,
);
// A lesson whose check tells what it was handed as what a process was blocked in.
mkdirSync(path.join(CONTENT, '02-blocked'));
writeFileSync(path.join(CONTENT, '02-blocked', 'index.en.mdx'), '---\nid: blocked\n---\n');
writeFileSync(
  path.join(CONTENT, '02-blocked', 'check.ts'),
  `import { defineLesson } from '@handshake/lesson';
export default defineLesson({
  processes: [{ peer: 'tcp-echo', port: 8080 }, { file: 'client.py' }],
  checks: [
    {
      id: 'blocked',
      title: { en: 'Blocked', zh: '阻塞' },
      run: (run) => ({ pass: true, message: JSON.stringify(run.processes['client.py']?.blocked) }),
    },
  ],
});
`,
);
afterAll(() => rmSync(CONTENT, { recursive: true, force: true }));
const CONFIG = loadConfig({ HANDSHAKE_CONTENT_DIR: CONTENT });

const LESSON: LoadedLesson = {
  slug: 'echo',
  id: 'echo',
  processes: [
    { peer: 'tcp-echo', port: 8080, options: { waitForEnd: false } },
    { file: 'client.py' },
  ],
  limits: { wallSeconds: 5 },
  checks: [{ id: 'printed', title: { en: 'Printed', zh: '打印' } }],
};
const RECORD: RunRecord = {
  reason: 'completed',
  reports: [],
  faults: [],
  seed: 0,
  processes: {
    'client.py': {
      name: 'client.py',
      kind: 'learner',
      stdout: '1\n',
      stderr: '',
      end: 'exited',
      exitCode: 0,
      signal: null,
      durationMs: 5,
      reports: [],
    },
  },
};
const FINISHED = {
  type: 'run-finished',
  runId: 'run-00000001',
  reason: 'completed',
  notice: { code: 'run-completed', params: {} },
  durationMs: 9,
} as const;

/** An engine and the jailer end of its channel, which records what it is sent. */
async function connected(engine = new JailerEngine(CONFIG, () => {})) {
  const [forJailer, forFront] = await socketPair();
  open.push(forJailer, forFront);
  const received: Array<Record<string, unknown>> = [];
  let partial = '';
  forJailer.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) received.push(JSON.parse(line));
  });
  forJailer.resume();
  engine.attach(forFront);
  const reply = (message: object): void => void forJailer.write(`${JSON.stringify(message)}\n`);
  /** Resolves once `done()` holds, checked whenever the jailer end receives data. */
  const until = async (done: () => boolean): Promise<void> => {
    while (!done()) await new Promise((resolve) => forJailer.once('data', resolve));
  };
  return { engine, jailer: forJailer, received, reply, until };
}

function start(
  engine: JailerEngine,
  lesson?: LoadedLesson,
  captures?: CaptureFile[],
  seed?: number,
) {
  const events: RunEvent[] = [];
  const order: string[] = [];
  const run = engine.start(
    { runId: 'run-00000001', files: FILES, lang: 'en', lesson, slot: 2, seed },
    (event) => {
      events.push(event);
      order.push(event.type);
    },
    captures &&
      ((file) => {
        captures.push(file);
        order.push('capture');
      }),
  );
  return { run, events, order };
}

/** The jailer's messages for a pcap of `bytes`, in chunks of `size`. */
function captureMessages(bytes: Buffer, size: number, declared = bytes.length) {
  const chunks = [];
  for (let at = 0; at < bytes.length; at += size)
    chunks.push({
      type: 'capture-chunk',
      runId: 'run-00000001',
      data: bytes.subarray(at, at + size).toString('base64'),
    });
  const end = { type: 'capture-end', runId: 'run-00000001', bytes: declared, packets: 3 };
  return [...chunks, { ...end, truncated: false }];
}

describe('JailerEngine', () => {
  it('sends the lesson as data, without its checks, and asks for the record', async () => {
    const { engine, received, until } = await connected();
    start(engine, LESSON);
    await until(() => received.length === 1);
    expect(received[0]).toEqual({
      type: 'start',
      runId: 'run-00000001',
      files: FILES,
      lang: 'en',
      lesson: { processes: LESSON.processes, limits: { wallSeconds: 5 } },
      slot: 2,
      wantRecord: true,
      wantCapture: false,
    });
  });

  it('gives a run the id of another connection’s run still in the jailer a distinct one there', async () => {
    const { engine, received, reply, until } = await connected();
    const first = start(engine);
    const second = start(engine);
    await until(() => received.length === 2);
    const [mine, theirs] = received.map((message) => message.runId as string);
    expect(mine).toBe('run-00000001');
    expect(theirs).not.toBe(mine);
    expect(theirs).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    // Each run hears only its own events (the transport gives them back their browser's id).
    reply({ type: 'event', runId: theirs, event: { ...FINISHED, runId: theirs } });
    reply({ type: 'done', runId: theirs });
    await second.run.done;
    expect(second.events).toEqual([{ ...FINISHED, runId: theirs }]);
    expect(first.events).toEqual([]);
    reply({ type: 'event', runId: mine, event: FINISHED });
    reply({ type: 'done', runId: mine });
    await first.run.done;
    expect(first.events).toEqual([FINISHED]);
    // Once the jailer is done with it, the id is free again.
    start(engine);
    await until(() => received.length === 3);
    expect(received[2]!.runId).toBe('run-00000001');
  });

  it('sends the seed of a repeated run along', async () => {
    const { engine, received, until } = await connected();
    start(engine, undefined, undefined, 42);
    await until(() => received.length === 1);
    expect(received[0]).toMatchObject({ type: 'start', seed: 42, wantRecord: false });
  });

  it('judges the record with the checks here and announces them before the end', async () => {
    const { engine, reply } = await connected();
    const { run, events } = start(engine, LESSON);
    reply({ type: 'event', runId: 'run-00000001', event: FINISHED });
    reply({ type: 'done', runId: 'run-00000001', record: RECORD });
    await run.done;
    expect(events.map((event) => event.type)).toEqual(['checks', 'run-finished']);
    expect(events[0]).toMatchObject({ results: [{ id: 'printed', status: 'pass' }] });
  });

  it('hands a check what the jailer saw a process blocked in, and the event its snapshot', async () => {
    const { engine, reply } = await connected();
    const blocked = [
      {
        call: 'recv',
        syscall: 'recvfrom',
        socket: {
          proto: 'tcp',
          local: '127.0.0.1:40000',
          remote: '127.0.0.1:8080',
          state: 'ESTABLISHED',
        },
      },
    ] as const;
    const lesson: LoadedLesson = {
      ...LESSON,
      slug: 'blocked',
      checks: [{ id: 'blocked', title: { en: 'Blocked', zh: '阻塞' } }],
    };
    const { run, events } = start(engine, lesson);
    const client = {
      ...RECORD.processes['client.py']!,
      end: 'killed' as const,
      blocked: [...blocked],
    };
    const exited = {
      type: 'process-exited',
      runId: 'run-00000001',
      process: 'client.py',
      end: 'killed',
      exitCode: null,
      signal: 'SIGKILL',
      durationMs: 3000,
      blocked,
    };
    reply({ type: 'event', runId: 'run-00000001', event: exited });
    reply({ type: 'event', runId: 'run-00000001', event: { ...FINISHED, reason: 'time-limit' } });
    const record = { ...RECORD, reason: 'time-limit', processes: { 'client.py': client } };
    reply({ type: 'done', runId: 'run-00000001', record });
    await run.done;
    expect(events[0]).toEqual(exited);
    const checks = events.find((event) => event.type === 'checks');
    expect(checks).toMatchObject({ results: [{ id: 'blocked', status: 'pass' }] });
    // The check (in the judge's worker) saw the snapshot the jailer put in the record.
    expect(
      JSON.parse((checks as { results: Array<{ message: string }> }).results[0]!.message),
    ).toEqual(blocked);
  });

  it('asks for the capture when kept for download, and hands it over before the end', async () => {
    const { engine, received, reply, until } = await connected();
    const captures: CaptureFile[] = [];
    const { run, order } = start(engine, LESSON, captures);
    await until(() => received.length === 1);
    expect(received[0]).toMatchObject({ wantCapture: true });
    const pcap = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    for (const message of captureMessages(pcap, 300)) reply(message);
    reply({ type: 'event', runId: 'run-00000001', event: FINISHED });
    reply({ type: 'done', runId: 'run-00000001', record: RECORD });
    await run.done;
    expect(order).toEqual(['capture', 'checks', 'run-finished']);
    expect(captures).toHaveLength(1);
    expect(Buffer.from(captures[0]!.bytes).equals(pcap)).toBe(true);
    expect(captures[0]).toMatchObject({ packets: 3, truncated: false });
  });

  it('drops a capture larger than a run may keep, or one that lost a piece, and says so', async () => {
    const faults: string[] = [];
    const config = { ...CONFIG, captureMaxKiB: 1 };
    for (const [bytes, declared] of [
      [2000, 2000],
      [600, 900],
    ] as const) {
      const engine = new JailerEngine(config, (what, error) => faults.push(String(error)));
      const { reply } = await connected(engine);
      const captures: CaptureFile[] = [];
      const { run, events } = start(engine, undefined, captures);
      for (const message of captureMessages(Buffer.alloc(bytes), 256, declared)) reply(message);
      reply({ type: 'event', runId: 'run-00000001', event: FINISHED });
      reply({ type: 'done', runId: 'run-00000001' });
      await run.done;
      expect(captures).toEqual([]);
      expect(events).toEqual([FINISHED]);
    }
    expect(faults).toEqual([
      'Error: its capture is larger than the 1024 bytes a run may keep',
      'Error: its capture came with 600 of 900 bytes',
    ]);
  });

  it('refuses input for a process the run does not have, at once', async () => {
    const { engine } = await connected();
    const { run } = start(engine, LESSON);
    expect(() => run.stdin('server.py', 'x')).toThrow(EngineInputError);
    expect(() => run.stdin('peer:tcp-echo', 'x')).not.toThrow();
  });

  it('refuses a request the jailer would refuse, before sending it', async () => {
    const { engine, received } = await connected();
    expect(() =>
      engine.validate({
        runId: 'run-00000001',
        files: [{ name: 'server.py', content: '' }],
        lang: 'en',
        lesson: LESSON,
      }),
    ).toThrow(
      expect.objectContaining({ notice: { code: 'missing-file', params: { file: 'client.py' } } }),
    );
    expect(received).toEqual([]);
  });

  it('ends a running run with an honest message when the jailer goes away', async () => {
    const { engine, jailer, received, until } = await connected();
    const { run, events } = start(engine);
    await until(() => received.length === 1);
    jailer.destroy();
    await run.done;
    expect(events).toEqual([
      {
        type: 'run-finished',
        runId: 'run-00000001',
        reason: 'error',
        notice: JAILER_LOST,
        durationMs: 0,
      },
    ]);
  });

  it('holds a run started while no jailer is connected and sends it to the next one', async () => {
    const engine = new JailerEngine(CONFIG, () => {});
    const { run, events } = start(engine);
    const { received, reply, until } = await connected(engine);
    await until(() => received.length === 1);
    reply({ type: 'event', runId: 'run-00000001', event: FINISHED });
    reply({ type: 'done', runId: 'run-00000001' });
    await run.done;
    expect(events).toEqual([FINISHED]);
  });
});
