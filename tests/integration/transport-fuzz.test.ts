/**
 * Protocol fuzzing against a live sandbox server (issue 3): 10 000 random, malformed, truncated
 * and oversized messages over several connections. The server must not crash, must answer every
 * one of them with an `error`, and must still run a normal program afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIRE_LIMITS, parseClientMessage } from '../../lib/protocol.ts';
import { newRunId, ProtocolClient } from '../../sandbox-server/transport/client.ts';
import { launchServer, type LaunchedServer } from '../../sandbox-server/transport/launch.ts';
import { seededRandom } from '../../sandbox-server/peers/prng.ts';

const MESSAGES = 10_000;
const CONNECTIONS = 4;
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

type Fuzz = string | Buffer;

function generator(random: () => number) {
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const text = (length: number): string =>
    Array.from({ length }, () =>
      String.fromCodePoint(pick([int(128), 0x4e00 + int(500), 0xd800 + int(100), int(32)])),
    ).join('');
  const runId = (): string =>
    pick([newRunId(), 'x', '', '../../etc/passwd', 'a'.repeat(70), text(10)]);
  const value = (depth: number): unknown => {
    const kinds = depth > 3 ? 4 : 6;
    switch (int(kinds)) {
      case 0:
        return null;
      case 1:
        return random() * 1e12 - 5e11;
      case 2:
        return text(int(20));
      case 3:
        return random() < 0.5;
      case 4:
        return Array.from({ length: int(4) }, () => value(depth + 1));
      default:
        return Object.fromEntries(
          Array.from({ length: int(4) }, () => [text(int(8)), value(depth + 1)]),
        );
    }
  };
  const validShapes = (): Record<string, unknown> =>
    pick([
      { type: 'run', runId: newRunId(), files: [{ name: 'main.py', content: 'print(1)' }] },
      { type: 'stdin', runId: newRunId(), process: 'main.py', data: 'hi\n' },
      { type: 'eof', runId: newRunId(), process: 'main.py' },
      { type: 'interrupt', runId: newRunId(), process: 'main.py' },
      { type: 'stop', runId: newRunId() },
    ]);
  const mutate = (message: Record<string, unknown>): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...message };
    const keys = Object.keys(copy);
    for (let i = 0, n = 1 + int(3); i < n; i++) {
      const key = pick([...keys, 'type', 'runId', 'files', 'lesson', 'lang', text(5)]);
      if (random() < 0.3) delete copy[key];
      else copy[key] = pick([value(0), runId(), [], {}, 'run', 'stdin', Infinity, -1]);
    }
    if (copy.files && random() < 0.3) {
      copy.files = pick([
        Array.from({ length: WIRE_LIMITS.maxFiles + 1 + int(5) }, (_, i) => ({
          name: `f${i}.py`,
          content: '',
        })),
        [{ name: pick(['../x.py', 'a/b.py', 'x.sh', '', text(5)]), content: 'x' }],
        [{ name: 'big.py', content: 'x'.repeat(WIRE_LIMITS.maxFileBytes + 1 + int(100)) }],
      ]);
    }
    return copy;
  };
  const truncated = (): string => {
    const json = JSON.stringify(validShapes());
    return json.slice(0, int(json.length));
  };
  const oversized = (): string =>
    JSON.stringify({ ...validShapes(), pad: 'x'.repeat(WIRE_LIMITS.maxMessageBytes + int(1000)) });
  const binary = (): Buffer => Buffer.from(Array.from({ length: 1 + int(200) }, () => int(256)));
  const deep = (): string => '['.repeat(1 + int(5000)) + ']'.repeat(int(5000));

  /** One hostile message; never a run request that would actually start a sandbox. */
  return (): Fuzz => {
    for (;;) {
      const roll = random();
      const message: Fuzz =
        roll < 0.3
          ? JSON.stringify(mutate(validShapes()))
          : roll < 0.45
            ? truncated()
            : roll < 0.6
              ? JSON.stringify(value(0))
              : roll < 0.7
                ? text(int(200))
                : roll < 0.8
                  ? binary()
                  : roll < 0.85
                    ? deep()
                    : roll < 0.86
                      ? oversized()
                      : JSON.stringify(validShapes());
      if (typeof message !== 'string') return message;
      const parsed = parseClientMessage(message);
      if (!(parsed.ok && parsed.message.type === 'run')) return message;
    }
  };
}

let server: LaunchedServer;
beforeAll(async () => {
  server = await launchServer();
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

describe('protocol fuzzing', () => {
  it(`answers each of ${MESSAGES} bad messages with an error and keeps serving (seed ${SEED})`, async () => {
    const next = generator(seededRandom(SEED));
    const clients = await Promise.all(
      Array.from({ length: CONNECTIONS }, () =>
        ProtocolClient.connect(server.url, { timeoutMs: 20_000 }),
      ),
    );
    const sent = clients.map(() => 0);
    for (let i = 0; i < MESSAGES; i++) {
      clients[i % CONNECTIONS]!.send(next());
      sent[i % CONNECTIONS]!++;
    }
    for (const [i, client] of clients.entries()) {
      const errors = () => client.received.filter((m) => m.type === 'error').length;
      await expect.poll(errors, { timeout: 20_000, interval: 50 }).toBe(sent[i]);
      expect(client.received.filter((m) => m.type !== 'error' && m.type !== 'hello')).toEqual([]);
      expect(client.invalid).toEqual([]);
    }
    const codes = new Set(
      clients.flatMap((c) => c.received.flatMap((m) => (m.type === 'error' ? [m.code] : []))),
    );
    expect([...codes].sort()).toEqual(['bad-message', 'too-large', 'unknown-run']);

    // The same connection, and a fresh one, still run a real program.
    for (const client of [clients[0]!, await ProtocolClient.connect(server.url)]) {
      const runId = newRunId();
      client.send({
        type: 'run',
        runId,
        files: [{ name: 'main.py', content: 'print("still here")' }],
      });
      expect((await client.finished(runId)).at(-1)).toMatchObject({ reason: 'completed' });
      expect(client.output(runId)).toBe('still here\n');
      client.close();
    }
    for (const client of clients) client.close();
    expect(server.log()).not.toMatch(/"level":"(error|fatal)"/);
  }, 60_000);
});
