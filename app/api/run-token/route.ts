/** POST /api/run-token: a one-minute run token for a learner who joined a class (else null). */
import { learnerFromRequest } from '../../../lib/server/auth/request.ts';
import { appSecrets, logRouteFault } from '../../../lib/server/results/app-context.ts';
import { handleRunToken } from '../../../lib/server/results/run-token-route.ts';

export const dynamic = 'force-dynamic';

/** Issues the token. */
export function POST(request: Request): Promise<Response> {
  return handleRunToken(request, {
    learnerFromRequest,
    key: () => appSecrets().runTokenKey,
    logFault: logRouteFault,
  });
}
