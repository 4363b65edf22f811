/**
 * The app's one run-event bus, per process (kept on globalThis: Next.js bundles route handlers
 * separately): LISTEN/NOTIFY when HANDSHAKE_DATABASE_URL names PostgreSQL, else in-process.
 */
import { loadDatabaseConfig } from '../../../sandbox-server/config.ts';
import { authContext } from '../auth/context.ts';
import type { RecordedRun } from '../results/schema.ts';
import type { RunRecorder } from '../results/internal-routes.ts';
import { memoryRunEventBus, postgresRunEventBus, type RunEventBus } from './run-events.ts';

const holder = globalThis as typeof globalThis & {
  [key: symbol]: Promise<RunEventBus> | undefined;
};
const KEY = Symbol.for('handshake.runEventBus');

/** The app's bus, made on first use. */
export function appRunEventBus(): Promise<RunEventBus> {
  holder[KEY] ??= (async () => {
    const { databaseUrl } = loadDatabaseConfig();
    if (!databaseUrl) return memoryRunEventBus();
    return postgresRunEventBus(databaseUrl, (await authContext()).db);
  })();
  return holder[KEY];
}

/** Installs (or with undefined, forgets) the app's bus: tests only. */
export function setAppRunEventBus(bus: RunEventBus | undefined): void {
  holder[KEY] = bus ? Promise.resolve(bus) : undefined;
}

/**
 * A recorder that announces each newly recorded run on the app's bus after it is stored. A bus
 * that fails is logged and ignored: the run is safe, dashboards catch up on their next snapshot.
 */
export function announcing(recorder: RunRecorder): RunRecorder {
  return {
    ...recorder,
    record: async (run: RecordedRun) => {
      const result = await recorder.record(run);
      if (result === 'recorded') {
        const event = {
          kind: 'run' as const,
          classId: run.classId,
          learnerId: run.learnerId,
          lessonId: run.lessonId,
          runId: run.id,
        };
        try {
          await (await appRunEventBus()).publish(event);
        } catch (error) {
          console.error(`handshake: announcing run ${run.id} failed: ${String(error)}`);
        }
      }
      return result;
    },
  };
}
