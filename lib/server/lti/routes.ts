/**
 * The LTI routes as plain Request → Response handlers (app/api/lti/* call them; the tests serve
 * them over real HTTP): login initiation, launch, the sign-in hand-off and its check, and the
 * tool's JWKS. A refusal answers a browser with a page in its language, anything else with JSON.
 */
import type { Kysely } from 'kysely';
import { ltiRegistrationById, peekLtiLogin, type Schema } from '../db/index.ts';
import { LtiError, ltiErrorStatus } from './errors.ts';
import { toolJwks, type ToolKey } from './keys.ts';
import { validateLaunch, type LtiLaunch } from './launch.ts';
import {
  readLoginParams,
  startLogin,
  STATE_COOKIE_PATH,
  stateCookieName,
  storageKey,
} from './login.ts';
import { refusalPage } from './pages.ts';
import { answerDeepLink, deepLinkPicker, type DeepLinkDeps } from './deep-linking.ts';
import { enterHandoff, landedCheck, signInLaunch } from './sessions.ts';
import { BINDING_FIELD, bindingMatches, storageLaunchPage, storageLoginPage } from './storage.ts';
import type { SignInDeps } from './sign-in.ts';

/** What the LTI routes need from the app. */
export interface LtiRouteDeps {
  db: () => Promise<Kysely<Schema>>;
  /** The tool's public origin (https://host[:port]); the launch URL is under it. */
  toolOrigin: (request: Request) => string;
  /** What a valid launch leads to (sign-in and a redirect into the app). */
  onLaunch: (launch: LtiLaunch, request: Request) => Promise<Response>;
  logFault: (what: string, error: unknown) => void;
  /** What signing in needs (the auth context, the lessons). */
  signIn: SignInDeps;
  /** The tool's signing key (Deep Linking responses). */
  toolKey: () => Promise<ToolKey>;
}

/** GET or POST /api/lti/login: OIDC login initiation, a redirect to the platform. */
export async function handleLtiLogin(request: Request, deps: LtiRouteDeps): Promise<Response> {
  try {
    const params = await readLoginParams(request);
    const login = await startLogin(await deps.db(), params, deps.toolOrigin(request));
    if (login.storage)
      return storageLoginPage({
        ...login.storage,
        key: storageKey(login.state),
        next: login.location,
        lang: requestLang(request),
        setCookie: login.setCookie,
      });
    return new Response(null, {
      status: 302,
      headers: {
        location: login.location,
        'set-cookie': login.setCookie,
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    return refusal(error, 'lti login', deps, request);
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
    const idToken = form.get('id_token') || undefined;
    const db = await deps.db();
    const stateBound = await boundToBrowser(request, form, db);
    if (stateBound instanceof Response) return stateBound;
    const launch = await validateLaunch(db, { idToken, state, stateBound });
    const response = await deps.onLaunch(launch, request);
    // The state is used: its cookie goes.
    response.headers.append(
      'set-cookie',
      `${stateCookieName(state!)}=; Path=${STATE_COOKIE_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=None`,
    );
    return response;
  } catch (error) {
    return refusal(error, 'lti launch', deps, request);
  }
}

/** POST /api/lti/deep-link: the lesson picker's choice back to the platform (deep-linking.ts). */
export async function handleLtiDeepLink(request: Request, deps: LtiRouteDeps): Promise<Response> {
  try {
    return await answerDeepLink(request, deepLinkDeps(request, deps));
  } catch (error) {
    return refusal(error, 'lti deep link', deps, request);
  }
}

/** What the deep linking pages need, for this request's tool origin. */
export function deepLinkDeps(request: Request, deps: LtiRouteDeps): DeepLinkDeps {
  return {
    toolKey: deps.toolKey,
    lessons: deps.signIn.lessons,
    toolOrigin: deps.toolOrigin(request),
  };
}

/**
 * What a valid launch leads to in the app: the lesson picker for a deep linking request, else
 * the sign-in of its learner or instructor.
 */
export function answerLaunch(
  launch: LtiLaunch,
  request: Request,
  deps: LtiRouteDeps,
): Promise<Response> {
  if (launch.messageType === 'LtiDeepLinkingRequest')
    return deepLinkPicker(launch, deepLinkDeps(request, deps));
  return signInLaunch(deps.signIn, launch);
}

/** GET /api/lti/enter: uses a sign-in hand-off (sessions.ts). */
export async function handleLtiEnter(request: Request, deps: LtiRouteDeps): Promise<Response> {
  try {
    return await enterHandoff(request, deps.signIn);
  } catch (error) {
    return refusal(error, 'lti enter', deps, request);
  }
}

/** GET /api/lti/landed: checks the session cookie came back (sessions.ts). */
export async function handleLtiLanded(request: Request, deps: LtiRouteDeps): Promise<Response> {
  try {
    return await landedCheck(request, deps.signIn);
  } catch (error) {
    return refusal(error, 'lti landed', deps, request);
  }
}

/** GET /api/lti/jwks: the tool's public keys. */
export function handleLtiJwks(key: ToolKey): Response {
  return Response.json(toolJwks(key), { headers: { 'cache-control': 'public, max-age=300' } });
}

/**
 * Whether the launch's state was started in this browser: its state cookie came back, or (a
 * frame that blocks third-party cookies) the secret the login kept in the platform's storage
 * did. Without either, a login that used the storage first gets the page that reads it back.
 */
async function boundToBrowser(
  request: Request,
  form: URLSearchParams,
  db: Kysely<Schema>,
): Promise<boolean | Response> {
  const state = form.get('state');
  const idToken = form.get('id_token');
  if (!state || !idToken) return false;
  if (hasCookie(request, stateCookieName(state))) return true;
  const login = await peekLtiLogin(db, state);
  if (!login?.storage) return false;
  const binding = form.get(BINDING_FIELD);
  if (binding !== null) return bindingMatches(binding, login.storage.bindingHash);
  return storageLaunchPage({
    target: login.storage.target,
    platformOrigin: await platformOrigin(db, login.registrationId),
    key: storageKey(state),
    idToken,
    state,
    lang: requestLang(request),
  });
}

/** The origin of the platform's authorization endpoint: where its storage answers from. */
async function platformOrigin(db: Kysely<Schema>, registrationId: string): Promise<string> {
  const registration = await ltiRegistrationById(db, registrationId);
  if (!registration) throw new LtiError('registration-unknown', 'the registration was removed');
  return new URL(registration.authLoginUrl).origin;
}

function hasCookie(request: Request, name: string): boolean {
  const header = request.headers.get('cookie') ?? '';
  return header.split(';').some((pair) => pair.trim().split('=')[0] === name);
}

/**
 * A refused request: for a browser (Accept: text/html) a page in its language, else JSON
 * `{ error: code, detail }`; anything but an LtiError is a logged fault (500).
 */
function refusal(error: unknown, what: string, deps: LtiRouteDeps, request: Request): Response {
  if (!(error instanceof LtiError)) {
    deps.logFault(what, error);
    return Response.json({ error: 'fault' }, { status: 500 });
  }
  const status = ltiErrorStatus(error);
  if ((request.headers.get('accept') ?? '').includes('text/html'))
    return refusalPage(error.code, error.message, requestLang(request), status);
  return Response.json(
    { error: error.code, detail: error.message },
    { status, headers: { 'cache-control': 'no-store' } },
  );
}

/** Chinese when the browser ranks it first, else English. */
function requestLang(request: Request): 'en' | 'zh' {
  const first = (request.headers.get('accept-language') ?? '').split(',')[0]?.trim().toLowerCase();
  return first?.startsWith('zh') ? 'zh' : 'en';
}
