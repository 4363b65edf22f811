/** POST /api/progress/import: a joined learner brings their browser progress along, once. */
import { handleProgressImport } from '../../../../lib/server/classroom/routes.ts';

export const dynamic = 'force-dynamic';

/** Imports the progress (started at most, never passed). */
export function POST(request: Request): Promise<Response> {
  return handleProgressImport(request);
}
