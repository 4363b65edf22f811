/** GET /api/teach/classes/[id]/progress.csv: the class's progress as CSV. */
import { handleProgressCsv } from '../../../../../../lib/server/classroom/routes.ts';

export const dynamic = 'force-dynamic';

/** Answers the CSV file. */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  return handleProgressCsv(request, (await params).id);
}
