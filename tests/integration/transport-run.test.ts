/**
 * The WebSocket front with the real sandbox behind it, as a browser uses it: a live
 * `sandbox-server/main.ts` on an ephemeral port, real runs in bubblewrap.
 */
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../../lib/protocol.ts';
import { newRunId, ProtocolClient } from '../../sandbox-server/transport/client.ts';
import { liveServerPerFile } from './live-server.ts';

const live = liveServerPerFile();
const connect = () => live.connect();

const program = (content: string) => [{ name: 'main.py', content }];

describe('transport with the real sandbox', () => {
  it('says hello before anything else', async () => {
    const client = await connect();
    expect(client.received[0]).toMatchObject({ type: 'hello', protocol: PROTOCOL_VERSION });
  });

  it('refuses a page from another origin', async () => {
    const client = new ProtocolClient(live.server.url, { origin: 'https://attacker.example' });
    expect((await client.closed).code).toBe(CLOSE_CODES.originRejected);
  });

  it('answers a malformed message with an error and still runs code afterwards', async () => {
    const client = await connect();
    client.send('{"type":"run","runId":');
    expect(await client.next('error')).toMatchObject({ code: 'bad-message' });
    const runId = newRunId();
    client.send({ type: 'run', runId, files: program('print("ok")') });
    expect((await client.finished(runId)).at(-1)).toMatchObject({ reason: 'completed' });
    expect(client.output(runId)).toBe('ok\n');
  });

  it('streams output while the program is still running', async () => {
    const client = await connect();
    const runId = newRunId();
    const code = 'import time\nprint("first", flush=True)\ntime.sleep(1)\nprint("second")\n';
    client.send({ type: 'run', runId, files: program(code) });
    // Python writes "first" and "\n" separately; under load they may come as two events.
    const first = await client.next('output', (m) => m.runId === runId && m.data.endsWith('\n'));
    expect(client.output(runId)).toBe('first\n');
    const finished = await client.next('run-finished', (m) => m.runId === runId);
    expect(finished.receivedAt - first.receivedAt).toBeGreaterThan(800);
    expect(client.output(runId)).toBe('first\nsecond\n');
  });

  it('passes typed input to input()', async () => {
    const client = await connect();
    const runId = newRunId();
    client.send({
      type: 'run',
      runId,
      files: program('name = input("name? ")\nprint("hi", name)\n'),
    });
    await client.next('output', (m) => m.runId === runId && m.data.includes('name?'));
    client.send({ type: 'stdin', runId, process: 'main.py', data: 'Ada\n' });
    await client.finished(runId);
    expect(client.output(runId)).toBe('name? hi Ada\n');
  });

  it('answers a lesson run with an unknown slug with unknown-lesson', async () => {
    const client = await connect();
    const runId = newRunId();
    client.send({ type: 'run', runId, lesson: 'no-such-lesson', files: program('print(1)') });
    const error = await client.next('error', (m) => m.runId === runId);
    expect(error.code).toBe('unknown-lesson');
    expect(error.notice).toEqual({ code: 'unknown-lesson', params: { lesson: 'no-such-lesson' } });
  });

  it('runs a lesson with its peer and checks', async () => {
    const client = await connect();
    const runId = newRunId();
    const { readFileSync } = await import('node:fs');
    const content = readFileSync('content/02-tcp-client/solution/client.py', 'utf8');
    client.send({
      type: 'run',
      runId,
      lesson: 'tcp-client',
      files: [{ name: 'client.py', content }],
    });
    const events = await client.finished(runId);
    const checks = events.find((m) => m.type === 'checks');
    expect(checks?.type === 'checks' && checks.results.map((r) => r.status)).toEqual([
      'pass',
      'pass',
      'pass',
    ]);
  });

  it('judges a record far beyond the line limit, and the runs beside it go on', async () => {
    // 1 MiB of control characters, each JSON-escaped to six bytes: a ~6 MiB record, three
    // times the longest line the jailer channel takes in one piece.
    const bystander = await connect();
    const calm = newRunId('calm');
    bystander.send({
      type: 'run',
      runId: calm,
      files: program('import time\nprint("before", flush=True)\ntime.sleep(2)\nprint("after")\n'),
    });
    await bystander.next('output', (m) => m.runId === calm);
    const client = await connect();
    const runId = newRunId('big');
    const flood = 'import sys\nsys.stdout.write("\\x01" * (1024 * 1024 - 4096))\n';
    client.send({
      type: 'run',
      runId,
      lesson: 'tcp-client',
      files: [{ name: 'client.py', content: flood }],
    });
    const events = await client.finished(runId);
    expect(events.at(-1)).toMatchObject({ reason: 'completed' });
    expect(events.find((m) => m.type === 'checks')).toBeDefined();
    expect(client.output(runId, 'client.py')).toHaveLength(1024 * 1024 - 4096);
    expect((await bystander.finished(calm)).at(-1)).toMatchObject({ reason: 'completed' });
    expect(bystander.output(calm)).toBe('before\nafter\n');
  });

  it('replaces a running run with a new one cleanly', async () => {
    const client = await connect();
    const [first, second] = [newRunId('old'), newRunId('new')];
    client.send({
      type: 'run',
      runId: first,
      files: program('import time\nprint("old", flush=True)\ntime.sleep(30)\n'),
    });
    await client.next('output', (m) => m.runId === first);
    client.send({ type: 'run', runId: second, files: program('print("new")') });
    expect((await client.finished(first)).at(-1)).toMatchObject({ reason: 'stopped' });
    expect((await client.finished(second)).at(-1)).toMatchObject({ reason: 'completed' });
    expect(client.output(second)).toBe('new\n');
  });

  it('stops a run on Stop, and when the browser goes away', async () => {
    const client = await connect();
    const runId = newRunId();
    client.send({
      type: 'run',
      runId,
      files: program('import time\nprint("x", flush=True)\ntime.sleep(30)\n'),
    });
    await client.next('output', (m) => m.runId === runId);
    client.send({ type: 'stop', runId });
    expect((await client.finished(runId)).at(-1)).toMatchObject({ reason: 'stopped' });

    const leaving = await connect();
    const orphan = newRunId();
    leaving.send({
      type: 'run',
      runId: orphan,
      files: program('import time\nprint("x", flush=True)\ntime.sleep(30)\n'),
    });
    await leaving.next('output', (m) => m.runId === orphan);
    leaving.close();
    await expect
      .poll(() => live.server.log(), { timeout: 10_000 })
      .toMatch(new RegExp(`"runId":"${orphan}".*"outcome":"stopped".*"msg":"run"`));
  });
});
