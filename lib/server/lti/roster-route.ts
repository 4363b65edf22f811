/**
 * POST /api/lti/roster: an instructor of a class linked to an LMS course fills its roster from
 * the course's membership service now (it also happens after each instructor launch). A same-
 * origin form post (classId); answers JSON with what was synced, or, posted from the class's
 * settings page (which sends its `lang`), goes back there saying how it went.
 */
import { guarded, seeOther, type Form } from '../auth/forms.ts';
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
      const synced = await syncRoster(await deps.context(), deps.tokens(), classId);
      return fromPage(form)
        ? backTo(request, form, classId, { saved: 'roster' })
        : Response.json(synced);
    } catch (error) {
      if (!(error instanceof LtiServiceError))
        deps.logFault(`syncing the roster of class ${classId}`, error);
      if (fromPage(form)) return backTo(request, form, classId, { error: 'roster' });
      return error instanceof LtiServiceError
        ? Response.json({ error: 'roster-unavailable', detail: error.message }, { status: 502 })
        : Response.json({ error: 'fault' }, { status: 500 });
    }
  });
}

/** The class's settings page posts its language along. */
function fromPage(form: Form): boolean {
  return form.all('lang').length > 0;
}

function backTo(request: Request, form: Form, classId: string, params: Record<string, string>) {
  return seeOther(request, `/${form.lang}/teach/classes/${encodeURIComponent(classId)}`, params);
}
