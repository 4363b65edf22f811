/**
 * What every RunEventBus does: a published run reaches each subscriber of its class (on every
 * bus of the group: one process for the in-process bus, every replica for LISTEN/NOTIFY), never
 * another class's, and an ended subscription hears nothing more.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent, RunEventBus } from './run-events.ts';

/** `make` gives `count` buses that share one fan-out (replicas of one app). */
export function runEventBusSuite(
  name: string,
  make: (count: number) => Promise<{ buses: RunEventBus[]; close(): Promise<void> }>,
): void {
  describe(`${name} run-event bus`, () => {
    let close = async () => {};
    afterEach(() => close());

    const run = (classId: string, n: number) => ({
      kind: 'run' as const,
      classId,
      learnerId: `learner-${n}`,
      lessonId: 'echo',
      runId: `run-${n}`,
    });

    it('delivers a run to the subscribers of its class on every replica', async () => {
      const made = await make(2);
      close = made.close;
      const [a, b] = made.buses as [RunEventBus, RunEventBus];
      const heard: Record<string, RunEvent[]> = { a: [], b: [], other: [] };
      await a.subscribe('class-1', (event) => heard.a!.push(event));
      const endB = await b.subscribe('class-1', (event) => heard.b!.push(event));
      await b.subscribe('class-2', (event) => heard.other!.push(event));
      await a.publish(run('class-1', 1));
      await expect.poll(() => heard.b!.length).toBe(1);
      await expect.poll(() => heard.a!.length).toBe(1);
      expect(heard.a).toEqual([run('class-1', 1)]);
      endB();
      await b.publish(run('class-1', 2));
      await expect.poll(() => heard.a!.length).toBe(2);
      expect(heard.b).toEqual([run('class-1', 1)]);
      expect(heard.other).toEqual([]);
    });
  });
}
