/** GET /api/lti/landed: on into the app when the session cookie came back, else "new window". */
import { appLtiDeps } from '../../../../lib/server/lti/app-context.ts';
import { handleLtiLanded } from '../../../../lib/server/lti/routes.ts';

export const dynamic = 'force-dynamic';

/** Checks the cookie. */
export function GET(request: Request): Promise<Response> {
  return handleLtiLanded(request, appLtiDeps());
}
