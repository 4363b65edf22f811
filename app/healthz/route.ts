/** GET /healthz: the app's process answers (the liveness probe). */
import { handleHealthz } from '../../lib/server/ops/health-routes.ts';

export const dynamic = 'force-dynamic';

/** Answers 200. */
export function GET(): Response {
  return handleHealthz();
}
