/**
 * The jailer treats its front as untrusted: requests that do not match the schema, or ask for a
 * run that cannot be planned, start nothing. (Runs themselves are covered by the integration
 * tests through the whole server.)
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { SandboxHost } from '../run/sandbox-host.ts';
import { socketPair } from '../supervisor/socket-pair.ts';
import { JailerSession } from './serve.ts';

const open: Socket[] = [];
afterEach(() => open.splice(0).forEach((socket) => socket.destroy()));

const FILES = [{ name: 'main.py', content: 'print(1)' }];
const START = {
  type: 'start',
  runId: 'run-12345678',
  files: FILES,
  lang: 'en',
  slot: 0,
  wantRecord: false,
};

async function session() {
  const [jailerEnd, frontEnd] = await socketPair();
  open.push(jailerEnd, frontEnd);
  const logged: string[] = [];
  const replies: unknown[] = [];
  let partial = '';
  frontEnd.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) replies.push(JSON.parse(line));
  });
  frontEnd.resume();
  const jailer = new JailerSession(
    new SandboxHost(),
    jailerEnd,
    loadConfig({}),
    (line) => logged.push(line),
    () => {},
  );
  /** Sends lines, then a marker start that must be refused, and waits for its refusal. */
  const exchange = async (...lines: unknown[]): Promise<void> => {
    for (const line of lines)
      frontEnd.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
    const lesson = { processes: [{ file: 'x.py' }], limits: {} };
    frontEnd.write(`${JSON.stringify({ ...START, runId: 'marker-00000', lesson })}\n`);
    while (!replies.some((reply) => (reply as { runId?: string }).runId === 'marker-00000'))
      await new Promise((resolve) => setImmediate(resolve));
  };
  return { jailer, logged, replies, exchange };
}

describe('JailerSession', () => {
  it('starts nothing for requests that do not match the schema, and says why in its log', async () => {
    const { logged, replies, exchange } = await session();
    await exchange(
      'not json',
      { type: 'launch-rocket' },
      { ...START, slot: 100_000 },
      { ...START, runId: '../etc' },
      { ...START, files: [{ name: '../../etc/passwd', content: '' }] },
      { ...START, limits: { memoryBytes: 1e12 } },
      { ...START, lesson: { processes: [{ peer: 'tcp-echo', port: 80 }], limits: {} } },
      { ...START, seed: -1 },
      { ...START, seed: 2 ** 32 },
      { type: 'stdin', runId: 'run-12345678', process: 'main.py', data: 'x'.repeat(1 << 20) },
    );
    expect(logged[0]).toBe('refused a line from the front: not JSON: not json');
    expect(logged.slice(1, 10).every((line) => line.startsWith('refused a request: '))).toBe(true);
    expect(logged.slice(7, 9)).toEqual([
      'refused a request: seed: Too small: expected number to be >=0',
      'refused a request: seed: Too big: expected number to be <=4294967295',
    ]);
    // Only the marker got an answer: nothing else came near startRun.
    expect(replies).toHaveLength(1);
  });

  it('refuses a valid request for a run that cannot be planned, before taking anything', async () => {
    const { replies, exchange } = await session();
    const lesson = { processes: [{ file: 'client.py' }], limits: {} };
    await exchange({ ...START, lesson });
    expect(replies[0]).toEqual({
      type: 'refused',
      runId: 'run-12345678',
      message: 'This lesson runs client.py, but the page did not send it.',
    });
  });

  it('answers stats with its id, its sandboxes ready and its runs; refuses stats with extras', async () => {
    const { replies, logged, exchange } = await session();
    await exchange({ type: 'stats', id: 7 }, { type: 'stats', id: 8, runs: 99 });
    expect(replies[0]).toEqual({ type: 'stats', id: 7, warmSandboxes: 0, runs: 0 });
    expect(replies).toHaveLength(2); // and the marker's refusal
    expect(logged[0]).toMatch(/^refused a request: /);
  });
});
