/** POST /api/lti/roster: fill a class's roster from its LMS course (instructors only). */
import { authContext } from '../../../../lib/server/auth/context.ts';
import { appServiceTokens, logLtiFault } from '../../../../lib/server/lti/app-context.ts';
import { handleRosterSync } from '../../../../lib/server/lti/roster-route.ts';

export const dynamic = 'force-dynamic';

/** Syncs the roster. */
export function POST(request: Request): Promise<Response> {
  return handleRosterSync(request, {
    context: authContext,
    tokens: appServiceTokens,
    logFault: logLtiFault,
  });
}
