/** GET /api/lti/enter?handoff=…: a launch's single-use sign-in. */
import { appLtiDeps } from '../../../../lib/server/lti/app-context.ts';
import { handleLtiEnter } from '../../../../lib/server/lti/routes.ts';

export const dynamic = 'force-dynamic';

/** Opens the session and goes on to the cookie check. */
export function GET(request: Request): Promise<Response> {
  return handleLtiEnter(request, appLtiDeps());
}
