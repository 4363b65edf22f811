/**
 * POST /api/lti/grades/retry: an instructor of a class sends its held grades (those that failed
 * MAX_ATTEMPTS times) again, from the class's settings page, which it then goes back to.
 */
import { guarded, seeOther } from '../auth/forms.ts';
import { classInstructorFromRequest } from '../auth/request.ts';
import type { AuthContext } from '../auth/context.ts';
import { releaseHeldLtiScores } from '../db/index.ts';
import { MAX_ATTEMPTS } from './grades.ts';

export interface HeldGradesDeps {
  context: () => Promise<AuthContext>;
}

/** Makes the posted class's held grades due again, for one of its instructors. */
export function handleHeldGradesRetry(request: Request, deps: HeldGradesDeps): Promise<Response> {
  return guarded(request, async (form) => {
    const classId = form.get('classId');
    if (!(await classInstructorFromRequest(request, classId)))
      return Response.json({ error: 'not-instructor' }, { status: 403 });
    await releaseHeldLtiScores((await deps.context()).db, classId, MAX_ATTEMPTS);
    const page = `/${form.lang}/teach/classes/${encodeURIComponent(classId)}`;
    return seeOther(request, page, { saved: 'grades-retry' });
  });
}
