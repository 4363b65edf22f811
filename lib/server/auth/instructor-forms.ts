/**
 * The sign-in, sign-up and sign-out forms of /teach, passed on to Better Auth's endpoints (so its
 * origin checks and per-address rate limits apply) and answered with a redirect.
 */
import { z } from 'zod';
import { authContext } from './context.ts';
import { clearFailures, recordFailure, refusedFor, SIGN_IN_PER_EMAIL } from './failure-limit.ts';
import { guarded, seeOther, type Form } from './forms.ts';
import { maySignUp } from './instructor-auth.ts';

/** Error codes the /teach page words (ui-text `teach.errors`). */
export type TeachError =
  'credentials' | 'rate' | 'closed' | 'exists' | 'password' | 'email' | 'name';

/** Calls a Better Auth endpoint as the browser would, carrying its cookies and origin. */
async function callAuth(request: Request, endpoint: string, body: object): Promise<Response> {
  const { auth } = await authContext();
  const headers = new Headers(request.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  const url = new URL(`/api/auth/${endpoint}`, request.url);
  return auth.handler(new Request(url, { method: 'POST', headers, body: JSON.stringify(body) }));
}

function teachPage(request: Request, form: Form, error: TeachError, email = ''): Response {
  return seeOther(request, `/${form.lang}/teach`, email ? { error, email } : { error });
}

function signedIn(request: Request, form: Form, response: Response): Response {
  return seeOther(request, `/${form.lang}/teach/classes`, {}, response.headers.getSetCookie());
}

/** POST /api/teach/sign-in: email + password. */
export function signIn(request: Request): Promise<Response> {
  return guarded(request, async (form) => {
    const { db } = await authContext();
    const email = form.get('email').trim().toLowerCase();
    const key = `sign-in:${email}`;
    if ((await refusedFor(db, key, SIGN_IN_PER_EMAIL)) > 0) {
      return teachPage(request, form, 'rate', email);
    }
    const response = await callAuth(request, 'sign-in/email', {
      email,
      password: form.get('password'),
    });
    if (response.status === 429) return teachPage(request, form, 'rate', email);
    if (!response.ok) {
      await recordFailure(db, key, SIGN_IN_PER_EMAIL);
      return teachPage(request, form, 'credentials', email);
    }
    await clearFailures(db, key);
    return signedIn(request, form, response);
  });
}

/** Better Auth's error codes for a refused sign-up, as ours. */
const SIGN_UP_ERRORS: Record<string, TeachError> = {
  PASSWORD_TOO_SHORT: 'password',
  PASSWORD_TOO_LONG: 'password',
  INVALID_EMAIL: 'email',
  USER_ALREADY_EXISTS: 'exists',
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: 'exists',
};

/** POST /api/teach/sign-up: name + email + password, while sign-up is open (first run, or open). */
export function signUp(request: Request): Promise<Response> {
  return guarded(request, async (form) => {
    const { db, settings } = await authContext();
    if (!(await maySignUp(db, settings.signup))) return teachPage(request, form, 'closed');
    const name = form.get('name').trim();
    const email = form.get('email').trim().toLowerCase();
    if (name.length === 0 || name.length > 80) return teachPage(request, form, 'name', email);
    if (!z.email().safeParse(email).success) return teachPage(request, form, 'email', email);
    const response = await callAuth(request, 'sign-up/email', {
      name,
      email,
      password: form.get('password'),
    });
    if (response.status === 429) return teachPage(request, form, 'rate', email);
    if (!response.ok) {
      const { code = '', message = '' } = (await response.json().catch(() => ({}))) as {
        code?: string;
        message?: string;
      };
      const error = message === 'SIGNUP_CLOSED' ? 'closed' : (SIGN_UP_ERRORS[code] ?? 'closed');
      return teachPage(request, form, error, email);
    }
    return signedIn(request, form, response);
  });
}

/** POST /api/teach/sign-out. */
export function signOut(request: Request): Promise<Response> {
  return guarded(request, async (form) => {
    const response = await callAuth(request, 'sign-out', {});
    return seeOther(request, `/${form.lang}/teach`, {}, response.headers.getSetCookie());
  });
}
