/** GET /api/lti/jwks: the tool's public keys. */
import { appToolKey } from '../../../../lib/server/lti/app-context.ts';
import { handleLtiJwks } from '../../../../lib/server/lti/routes.ts';

export const dynamic = 'force-dynamic';

/** Serves the keys. */
export async function GET(): Promise<Response> {
  return handleLtiJwks(await appToolKey());
}
