/**
 * POST /api/run-token: before each sandbox connection, a one-minute run token for a learner who
 * joined a class (else null) and, with several sandbox servers, the one to connect to.
 */
import { learnerFromRequest } from '../../../lib/server/auth/request.ts';
import { appSecrets, logRouteFault } from '../../../lib/server/results/app-context.ts';
import { handleRunToken } from '../../../lib/server/results/run-token-route.ts';
import { appSandboxRegistry } from '../../../lib/server/sandboxes/app-registry.ts';

export const dynamic = 'force-dynamic';

/** Issues the token and places the page. */
export function POST(request: Request): Promise<Response> {
  const registry = appSandboxRegistry();
  return handleRunToken(request, {
    learnerFromRequest,
    key: () => appSecrets().runTokenKey,
    ...(registry ? { place: (previous, waiting) => registry.place(previous, waiting) } : {}),
    logFault: logRouteFault,
  });
}
