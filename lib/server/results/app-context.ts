/**
 * What the app's runtoken routes need, opened once per process: the shared secrets (from
 * HANDSHAKE_SECRET or the data dir, lib/server/secrets.ts) and a RunRecorder over the app's one
 * database (the same handle the auth context opened). Tests install their own recorder.
 */
import type { Kysely } from 'kysely';
import { loadConfig } from '../../../sandbox-server/config.ts';
import { authContext } from '../auth/context.ts';
// Imported under another name: the React lint takes any `use…` call for a hook.
import { recordRun, useTokenOnce as markTokenUsed, type Schema } from '../db/index.ts';
import { loadSecrets, type SharedSecrets } from '../secrets.ts';
import { announcing } from '../classroom/app-bus.ts';
import { appGradeSender } from '../lti/app-context.ts';
import { postingGrades } from '../lti/grades.ts';
import type { RunRecorder } from './internal-routes.ts';
import { appLog } from '../ops/app-log.ts';
import { appMetrics } from '../ops/app-metrics.ts';

let secrets: SharedSecrets | undefined;
let recorder: RunRecorder | undefined;

/** The shared secrets, read (or made) on first use. */
export function appSecrets(): SharedSecrets {
  if (!secrets) {
    const config = loadConfig();
    secrets = loadSecrets({ secret: config.secret, dataDir: config.dataDir });
  }
  return secrets;
}

/** A RunRecorder over a Kysely database of the data layer's schema. */
export function databaseRecorder(db: () => Promise<Kysely<Schema>>): RunRecorder {
  return {
    record: async (run) => {
      const recorded = await recordRun(await db(), run);
      if (recorded === 'recorded') appMetrics().runsRecorded.inc();
      return recorded;
    },
    useTokenOnce: async (jti, expiresAt) => markTokenUsed(await db(), jti, expiresAt),
  };
}

/**
 * The app's recorder: the database of the auth context (each recorded run announced to the
 * class's dashboards, and a passed run's score queued for the LMS it came from), unless a test
 * installed another.
 */
export function runRecorder(): RunRecorder {
  recorder ??= announcing(
    postingGrades(
      databaseRecorder(async () => (await authContext()).db),
      appGradeSender,
      logRouteFault,
    ),
  );
  return recorder;
}

/** Installs (or with undefined, forgets) the recorder and secrets: tests only. */
export function setRunRecording(next: { recorder?: RunRecorder; secrets?: SharedSecrets }): void {
  recorder = next.recorder;
  secrets = next.secrets;
}

/** Logs a fault of a runtoken route as a JSON error record (never a body: it holds code). */
export function logRouteFault(what: string, error: unknown): void {
  appLog().error({ err: error }, what);
}
