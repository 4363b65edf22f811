/** POST /api/lti/grades/retry: send a class's held grades again (its instructors only). */
import { authContext } from '../../../../../lib/server/auth/context.ts';
import { handleHeldGradesRetry } from '../../../../../lib/server/lti/held-grades-route.ts';

export const dynamic = 'force-dynamic';

/** Makes the held grades due again. */
export function POST(request: Request): Promise<Response> {
  return handleHeldGradesRetry(request, { context: authContext });
}
