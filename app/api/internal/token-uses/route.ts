/** POST /api/internal/token-uses: a sandbox front marks a run token used (internal secret only). */
import {
  appSecrets,
  logRouteFault,
  runRecorder,
} from '../../../../lib/server/results/app-context.ts';
import { handleTokenUse } from '../../../../lib/server/results/internal-routes.ts';

export const dynamic = 'force-dynamic';

/** Marks the token used; says whether it was fresh. */
export function POST(request: Request): Promise<Response> {
  const deps = {
    secret: appSecrets().internalSecret,
    recorder: runRecorder(),
    logFault: logRouteFault,
  };
  return handleTokenUse(request, deps);
}
