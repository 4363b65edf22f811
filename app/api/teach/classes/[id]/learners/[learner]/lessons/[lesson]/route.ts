/** GET /api/teach/classes/[id]/learners/[learner]/lessons/[lesson]: one dashboard cell. */
import { handleCellDetail } from '../../../../../../../../../lib/server/classroom/routes.ts';

export const dynamic = 'force-dynamic';

/** Answers the cell's detail as JSON. */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string; learner: string; lesson: string }> },
): Promise<Response> {
  const { id, learner, lesson } = await params;
  return handleCellDetail(request, { classId: id, learnerId: learner, lessonId: lesson });
}
