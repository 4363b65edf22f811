/** GET /api/teach/classes/[id]/events: the live dashboard's event stream (SSE). */
import { handleClassEvents } from '../../../../../../lib/server/classroom/routes.ts';

export const dynamic = 'force-dynamic';

/** Streams the class's snapshot, then its cell deltas and heartbeats. */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  return handleClassEvents(request, (await params).id);
}
