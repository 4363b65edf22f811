/** GET or POST /api/lti/login: LTI 1.3 OIDC login initiation. */
import { appLtiDeps } from '../../../../lib/server/lti/app-context.ts';
import { handleLtiLogin } from '../../../../lib/server/lti/routes.ts';

export const dynamic = 'force-dynamic';

/** Starts a login from a link. */
export function GET(request: Request): Promise<Response> {
  return handleLtiLogin(request, appLtiDeps());
}

/** Starts a login from a form post. */
export function POST(request: Request): Promise<Response> {
  return handleLtiLogin(request, appLtiDeps());
}
