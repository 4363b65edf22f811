/** POST /api/lti/deep-link: the lessons an instructor picked, back to the LMS (Deep Linking). */
import { appLtiDeps } from '../../../../lib/server/lti/app-context.ts';
import { handleLtiDeepLink } from '../../../../lib/server/lti/routes.ts';

export const dynamic = 'force-dynamic';

/** Answers the platform with the signed content items. */
export function POST(request: Request): Promise<Response> {
  return handleLtiDeepLink(request, appLtiDeps());
}
