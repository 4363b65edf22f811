/**
 * POST /api/lti/roster: an instructor of a class linked to an LMS course fills its roster from
 * the course's membership service now (it also happens after each instructor launch). A same-
 * origin form post (classId); answers JSON with what was synced.
 */
import { guarded } from '../auth/forms.ts';
import { classInstructorFromRequest } from '../auth/request.ts';
import type { AuthContext } from '../auth/context.ts';
import { syncRoster } from './nrps.ts';
import { LtiServiceError, type ServiceTokens } from './service-token.ts';

/** What the route needs. */
export interface RosterRouteDeps {
  context: () => Promise<AuthContext>;
  tokens: () => ServiceTokens;
  logFault: (what: string, error: unknown) => void;
}

/** Syncs the roster of the posted class for one of its instructors. */
export function handleRosterSync(request: Request, deps: RosterRouteDeps): Promise<Response> {
  return guarded(request, async (form) => {
    const classId = form.get('classId');
    if (!(await classInstructorFromRequest(request, classId)))
      return Response.json({ error: 'not-instructor' }, { status: 403 });
    try {
      return Response.json(await syncRoster(await deps.context(), deps.tokens(), classId));
    } catch (error) {
      if (error instanceof LtiServiceError)
        return Response.json(
          { error: 'roster-unavailable', detail: error.message },
          { status: 502 },
        );
      deps.logFault(`syncing the roster of class ${classId}`, error);
      return Response.json({ error: 'fault' }, { status: 500 });
    }
  });
}
