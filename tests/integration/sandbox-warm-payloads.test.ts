/**
 * Server peers that send seeded text in sandboxes made ahead: a warm tcp-greeter listens before
 * its run exists, so it must take the seed (and the language of its lines) from the run that
 * adopts it, and greet exactly as a cold one with that seed does.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import type { Lang } from '../../lib/protocol.ts';
import { createExpander } from '../../sandbox-server/peers/payload.ts';
import { mixSeed } from '../../sandbox-server/peers/prng.ts';
import { expectNothingLeft, outputOf, py, runFiles, testHost } from './sandbox-harness.ts';

testHost.configure({ warmSandboxes: 2 });
afterAll(() => testHost.disposeAsync());

const GREETING = 'ticket {token} for {word}\n';
const LESSON: LessonDefinition = {
  processes: [
    { peer: 'tcp-greeter', name: 'greeter', port: 7000, options: { greeting: GREETING } },
    { file: 'client.py' },
  ],
};
const CLIENT = py`
  import socket
  with socket.create_connection(("127.0.0.1", 7000)) as sock:
      print(sock.makefile().read().strip())
`;

/** Runs with `seed` until a run has taken a warm sandbox. */
async function warmRun(seed: number, lang: Lang) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const before = testHost.warm.taken;
    const run = await runFiles({ 'client.py': CLIENT }, { lesson: LESSON, seed, lang });
    if (testHost.warm.taken > before) return run;
  }
  throw new Error('no run found a warm sandbox');
}

describe('a warm tcp-greeter', () => {
  it("greets with the text of the adopting run's seed, in its language", async () => {
    const expected = (seed: number) => createExpander(mixSeed(seed, 0))(GREETING);
    const first = await warmRun(42, 'zh');
    const other = await warmRun(7, 'en');
    expect(outputOf(first, 'client.py')).toBe(expected(42));
    expect(outputOf(first, 'peer:greeter')).toContain('greeter: 正在 127.0.0.1:7000 上监听');
    expect(outputOf(other, 'client.py')).toBe(expected(7));
    expect(outputOf(other, 'peer:greeter')).toContain('greeter: listening on 127.0.0.1:7000');
    expect(expected(7)).not.toBe(expected(42));
    for (const run of [first, other]) expectNothingLeft(run.info);
  });
});
