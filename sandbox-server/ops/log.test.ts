import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { relayLines } from './child-output.ts';
import { hostInstance } from '../instance-id.ts';
import { instanceId } from './instance.ts';
import { StatsRequests } from './jailer-stats.ts';
import { createLogger, logFormat } from './log.ts';

/** A logger writing into an array of parsed records. */
function captured(processName: string) {
  const records: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        records.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return {
    records,
    logger: createLogger(processName, { fields: { instance: 'a1' }, destination }),
  };
}

describe('the JSON log', () => {
  it('writes time, level name, process, instance and msg on every line', () => {
    const { records, logger } = captured('front');
    logger.info({ runId: 'r1', outcome: 'completed', durationMs: 12 }, 'run');
    expect(records[0]).toMatchObject({
      level: 'info',
      process: 'front',
      instance: 'a1',
      msg: 'run',
      runId: 'r1',
      outcome: 'completed',
      durationMs: 12,
    });
    expect(new Date(records[0]!.time as string).toISOString()).toBe(records[0]!.time);
  });

  it('censors fields that could hold code, output, tokens or secrets', () => {
    const { records, logger } = captured('front');
    const secret = 'sk_live_0123456789abcdef';
    logger.info(
      { token: secret, files: [{ content: secret }], nested: { data: secret, password: secret } },
      'careless',
    );
    expect(JSON.stringify(records)).not.toContain(secret);
    expect(records[0]).toMatchObject({ token: '[censored]', files: '[censored]' });
  });

  it('is pretty only when HANDSHAKE_LOG_FORMAT says so', () => {
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({ HANDSHAKE_LOG_FORMAT: 'auto' }, true)).toBe('pretty');
    expect(logFormat({ HANDSHAKE_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ HANDSHAKE_LOG_FORMAT: ' Pretty ' })).toBe('pretty');
    expect(logFormat({ HANDSHAKE_LOG_FORMAT: 'json' })).toBe('json');
  });
});

describe("a child's output in the log", () => {
  it('turns plain lines into records and passes JSON records on unchanged', async () => {
    const { records, logger } = captured('jailer');
    const passed: string[] = [];
    const stream = new PassThrough();
    relayLines(stream, logger, 'warn', (line) => passed.push(line));
    const record = JSON.stringify({ level: 'info', time: 'x', process: 'jailer', msg: 'ok' });
    stream.end(`2026-12-06T10:00:00.000Z jailer: refused a request\n\n${record}\n`);
    await new Promise((resolve) => stream.on('end', resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      level: 'warn',
      process: 'jailer',
      msg: 'refused a request',
    });
    expect(passed).toEqual([record]);
  });
});

describe('instance id', () => {
  it('is HANDSHAKE_INSTANCE when set, else the config’s default from the host name', () => {
    expect(instanceId({ HANDSHAKE_INSTANCE: 'b7' })).toBe('b7');
    expect(instanceId({})).toBe(hostInstance());
    expect(instanceId({})).toMatch(/^h[a-z0-9]{6}$/);
  });
});

describe('stats requests to the jailer', () => {
  it('match answers by id, and give null without a jailer or an answer in time', async () => {
    const requests = new StatsRequests();
    const sent: number[] = [];
    const asked = requests.ask((request) => (sent.push(request.id), true));
    requests.answer({ type: 'stats', id: sent[0]!, warmSandboxes: 2, runs: 1 });
    expect(await asked).toMatchObject({ warmSandboxes: 2, runs: 1 });
    expect(await requests.ask(() => false)).toBeNull();
    expect(await requests.ask(() => true, 10)).toBeNull();
  });
});
