/** POST /api/lti/launch: the platform's form post of an id_token. */
import { appLtiDeps } from '../../../../lib/server/lti/app-context.ts';
import { handleLtiLaunch } from '../../../../lib/server/lti/routes.ts';

export const dynamic = 'force-dynamic';

/** Validates the launch. */
export function POST(request: Request): Promise<Response> {
  return handleLtiLaunch(request, appLtiDeps());
}
