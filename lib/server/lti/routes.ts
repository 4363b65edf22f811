/**
 * The LTI routes as plain Request → Response handlers (app/api/lti/* call them; the tests serve
 * them over real HTTP): login initiation, launch and the tool's JWKS.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/index.ts';
import { LtiError, ltiErrorStatus } from './errors.ts';
import { toolJwks, type ToolKey } from './keys.ts';
import { validateLaunch, type LtiLaunch } from './launch.ts';
import { readLoginParams, startLogin, STATE_COOKIE_PATH, stateCookieName } from './login.ts';

/** What the LTI routes need from the app. */
export interface LtiRouteDeps {
  db: () => Promise<Kysely<Schema>>;
  /** The tool's public origin (https://host[:port]); the launch URL is under it. */
  toolOrigin: (request: Request) => string;
  /** What a valid launch leads to (sign-in and a redirect into the app). */
  onLaunch: (launch: LtiLaunch, request: Request) => Promise<Response>;
  logFault: (what: string, error: unknown) => void;
}

/** GET or POST /api/lti/login: OIDC login initiation, a redirect to the platform. */
export async function handleLtiLogin(request: Request, deps: LtiRouteDeps): Promise<Response> {
  try {
    const params = await readLoginParams(request);
    const login = await startLogin(await deps.db(), params, deps.toolOrigin(request));
    return new Response(null, {
      status: 302,
      headers: {
        location: login.location,
        'set-cookie': login.setCookie,
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    return refusal(error, 'lti login', deps);
  }
}

/** POST /api/lti/launch: validates the id_token and hands the launch to `deps.onLaunch`. */
export async function handleLtiLaunch(request: Request, deps: LtiRouteDeps): Promise<Response> {
  try {
    const form = new URLSearchParams(await request.text());
    if (form.get('error'))
      throw new LtiError(
        'platform-error',
        `${form.get('error')}: ${form.get('error_description') ?? ''}`,
      );
    const state = form.get('state') || undefined;
    const stateBound = state !== undefined && hasCookie(request, stateCookieName(state));
    const launch = await validateLaunch(await deps.db(), {
      idToken: form.get('id_token') || undefined,
      state,
      stateBound,
    });
    const response = await deps.onLaunch(launch, request);
    // The state is used: its cookie goes.
    response.headers.append(
      'set-cookie',
      `${stateCookieName(state!)}=; Path=${STATE_COOKIE_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=None`,
    );
    return response;
  } catch (error) {
    return refusal(error, 'lti launch', deps);
  }
}

/** GET /api/lti/jwks: the tool's public keys. */
export function handleLtiJwks(key: ToolKey): Response {
  return Response.json(toolJwks(key), { headers: { 'cache-control': 'public, max-age=300' } });
}

function hasCookie(request: Request, name: string): boolean {
  const header = request.headers.get('cookie') ?? '';
  return header.split(';').some((pair) => pair.trim().split('=')[0] === name);
}

/** A refused request as JSON `{ error: code, detail }`; anything else is a logged fault (500). */
function refusal(error: unknown, what: string, deps: LtiRouteDeps): Response {
  if (error instanceof LtiError)
    return Response.json(
      { error: error.code, detail: error.message },
      { status: ltiErrorStatus(error), headers: { 'cache-control': 'no-store' } },
    );
  deps.logFault(what, error);
  return Response.json({ error: 'fault' }, { status: 500 });
}
