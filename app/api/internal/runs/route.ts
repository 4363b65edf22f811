/** POST /api/internal/runs: a sandbox front records a learner's run (internal secret only). */
import {
  appSecrets,
  logRouteFault,
  runRecorder,
} from '../../../../lib/server/results/app-context.ts';
import { handleRecordRun } from '../../../../lib/server/results/internal-routes.ts';

export const dynamic = 'force-dynamic';

/** Records the run. */
export function POST(request: Request): Promise<Response> {
  const deps = {
    secret: appSecrets().internalSecret,
    recorder: runRecorder(),
    logFault: logRouteFault,
  };
  return handleRecordRun(request, deps);
}
