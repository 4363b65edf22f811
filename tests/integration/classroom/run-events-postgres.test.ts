/**
 * LISTEN/NOTIFY on a throwaway PostgreSQL: two buses with their own connections (two app
 * replicas) each hear every run, and a bus whose listening connection is killed resubscribes
 * and tells its subscribers to resync.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { postgresRunEventBus, type RunEvent } from '../../../lib/server/classroom/run-events.ts';
import { runEventBusSuite } from '../../../lib/server/classroom/run-events.suite.ts';
import { openTestDatabase } from '../db/engines.ts';

async function replicas(count: number) {
  const { database, target, cleanup } = await openTestDatabase('postgres');
  const buses = Array.from({ length: count }, () =>
    postgresRunEventBus(target.options.url!, database.db),
  );
  return {
    database,
    buses,
    close: async () => {
      await Promise.all(buses.map((bus) => bus.close()));
      await cleanup();
    },
  };
}

runEventBusSuite('PostgreSQL LISTEN/NOTIFY', replicas);

it('reconnects after losing its listening connection and asks subscribers to resync', async () => {
  const { database, buses, close } = await replicas(1);
  try {
    const bus = buses[0]!;
    const heard: RunEvent[] = [];
    await bus.subscribe('class-1', (event) => heard.push(event));
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where query like 'LISTEN%' and pid <> pg_backend_pid()`.execute(database.db);
    await expect.poll(() => heard.some((event) => event.kind === 'resync')).toBe(true);
    const event = {
      kind: 'run' as const,
      classId: 'class-1',
      learnerId: 'l',
      lessonId: 'x',
      runId: 'r',
    };
    await bus.publish(event);
    await expect.poll(() => heard.at(-1)).toEqual(event);
  } finally {
    await close();
  }
});
