/** GET /readyz: the app's database answers within 1 s (the readiness probe); 503 otherwise. */
import { sql } from 'kysely';
import { authContext } from '../../lib/server/auth/context.ts';
import { appLog } from '../../lib/server/ops/app-log.ts';
import { handleReadyz } from '../../lib/server/ops/health-routes.ts';

export const dynamic = 'force-dynamic';

/** Asks the database for `select 1`. */
export function GET(): Promise<Response> {
  return handleReadyz({
    ping: async () => sql`select 1`.execute((await authContext()).db),
    logFault: (what, error) => appLog().error({ err: error }, what),
  });
}
