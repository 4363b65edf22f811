/**
 * Fault peers in sandboxes made ahead: the relay is started (and listening) before its run
 * exists, so its seed cannot be in its command line; it must take the seed of the run that
 * adopts it, and draw exactly what a cold relay with that seed draws.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import { mixSeed } from '../../sandbox-server/peers/prng.ts';
import { expectNothingLeft, outputOf, runFiles, testHost } from './sandbox-harness.ts';
import { NUMBERED_UDP_CLIENT } from './fault-clients.ts';

testHost.configure({ warmSandboxes: 2 });
afterAll(() => testHost.disposeAsync());

const LESSON: LessonDefinition = {
  processes: [
    { peer: 'udp-echo', name: 'echo', port: 9001 },
    { peer: 'udp-relay', name: 'relay', port: 9000, options: { target: 9001, loss: 0.3 } },
    { file: 'client.py' },
  ],
};

const CLIENT = NUMBERED_UDP_CLIENT;

/** Runs with `seed` until a run has taken a warm sandbox. */
async function warmRun(seed: number) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const before = testHost.warm.taken;
    const run = await runFiles({ 'client.py': CLIENT }, { lesson: LESSON, seed });
    if (testHost.warm.taken > before) return run;
  }
  throw new Error('no run found a warm sandbox');
}

describe('a warm udp-relay', () => {
  it('draws from the seed of the run that takes it, as a cold one does', async () => {
    const first = await warmRun(42);
    const second = await warmRun(42);
    const other = await warmRun(7);
    for (const run of [first, second]) {
      // The same as the cold runs of fault-udp-relay.test.ts with seed 42.
      expect(outputOf(run, 'client.py')).toBe('got [2, 3, 6, 8, 9, 14, 16, 18, 19]\n');
      expect(outputOf(run, 'peer:relay')).toContain(
        `relay: faults drawn from seed ${mixSeed(42, 1)}\n`,
      );
      expectNothingLeft(run.info);
    }
    expect(outputOf(other, 'peer:relay')).toContain(
      `relay: faults drawn from seed ${mixSeed(7, 1)}\n`,
    );
    expect(outputOf(other, 'client.py')).not.toBe('got [2, 3, 6, 8, 9, 14, 16, 18, 19]\n');
    expect(second.info.netns).not.toBe(first.info.netns);
  });
});
