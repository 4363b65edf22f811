/**
 * From a valid launch to a signed-in browser, inside the LMS's frame or not. The launch (a
 * cross-site form post) answers with a redirect to a single-use hand-off, `/api/lti/enter`,
 * which opens the session (the learner session of joining with a code, or a Better Auth session)
 * and sends the browser on to `/api/lti/landed`. That page checks the session cookie came back:
 * if it did, on to the class; if the browser refused it (a third-party frame), a page offering
 * to open Handshake in a new window, where a fresh hand-off signs in first-party.
 */
import { createHmac } from 'node:crypto';
import type { AuthContext } from '../auth/context.ts';
import { LEARNER_COOKIE, learnerCookie, readCookie } from '../auth/request.ts';
import {
  createLearnerSession,
  createLtiHandoff,
  learnerBySessionToken,
  takeLtiHandoff,
  type LtiHandoff,
} from '../db/index.ts';
import type { Lang } from '../../protocol.ts';
import { LtiError } from './errors.ts';
import type { LtiLaunch } from './launch.ts';
import { newWindowPage } from './pages.ts';
import { identifyLaunch, type SignInDeps } from './sign-in.ts';

/** How long a hand-off link signs in: long enough to click "open in a new window". */
export const HANDOFF_TTL_MS = 2 * 60 * 1000;

/** A path of this app a hand-off may lead to (never another site). */
const APP_PATH = /^\/(en|zh)(\/[A-Za-z0-9_\-/]*)?$/;

/** The language of an app path (`/zh/...`). */
export function pathLang(path: string): Lang {
  return path.startsWith('/zh') ? 'zh' : 'en';
}

function seeOther(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}

/** The answer to a valid resource link launch: a redirect to the hand-off of who it signs in. */
export async function signInLaunch(deps: SignInDeps, launch: LtiLaunch): Promise<Response> {
  const identity = await identifyLaunch(deps, launch);
  const handoff: LtiHandoff = {
    learnerId: identity.kind === 'learner' ? identity.id : null,
    userId: identity.kind === 'instructor' ? identity.id : null,
    destination: identity.destination,
  };
  const { db } = await deps.context();
  const token = await createLtiHandoff(db, handoff, HANDOFF_TTL_MS);
  return seeOther(`/api/lti/enter?${new URLSearchParams({ handoff: token })}`);
}

/** GET /api/lti/enter?handoff=…: uses the hand-off, opens the session, goes on to the check. */
export async function enterHandoff(request: Request, deps: SignInDeps): Promise<Response> {
  const token = new URL(request.url).searchParams.get('handoff') ?? '';
  const context = await deps.context();
  const handoff =
    token.length > 0 && token.length <= 100 && (await takeLtiHandoff(context.db, token));
  if (!handoff) throw new LtiError('handoff-unknown', 'the hand-off is unknown, used or expired');
  // A navigation inside the LMS's frame: only a partitioned cookie (CHIPS) can stick there.
  const framed = request.headers.get('sec-fetch-dest') === 'iframe';
  const cookie = handoff.learnerId
    ? await learnerSessionCookie(context, handoff.learnerId, framed)
    : await instructorSessionCookie(context, handoff.userId!, framed);
  // A second hand-off for the same sign-in, in case the cookie does not come back.
  const retry = await createLtiHandoff(context.db, handoff, HANDOFF_TTL_MS);
  const as = handoff.learnerId ? `learner:${handoff.learnerId}` : `instructor:${handoff.userId}`;
  const query = new URLSearchParams({ to: handoff.destination, as, retry });
  return seeOther(`/api/lti/landed?${query}`, [cookie]);
}

/**
 * GET /api/lti/landed: on to the destination when this request carries the session just
 * opened (and the spare hand-off is spent); else the "open in a new window" page.
 */
export async function landedCheck(request: Request, deps: SignInDeps): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const to = params.get('to') ?? '';
  const retry = params.get('retry') ?? '';
  if (!APP_PATH.test(to) || retry.length === 0 || retry.length > 100)
    throw new LtiError('handoff-unknown', 'the landing has no valid destination or hand-off');
  const context = await deps.context();
  if (await carriesSession(request, context, params.get('as') ?? '')) {
    await takeLtiHandoff(context.db, retry);
    return seeOther(to);
  }
  return newWindowPage(`/api/lti/enter?${new URLSearchParams({ handoff: retry })}`, pathLang(to));
}

/** Whether the request's cookies hold a session of `as` (`learner:<id>` or `instructor:<id>`). */
async function carriesSession(
  request: Request,
  context: AuthContext,
  as: string,
): Promise<boolean> {
  const [kind, id] = as.split(':');
  if (kind === 'learner') {
    const token = readCookie(request.headers.get('cookie'), LEARNER_COOKIE);
    if (!token || token.length > 100) return false;
    return (await learnerBySessionToken(context.db, token))?.id === id;
  }
  if (kind === 'instructor') {
    const session = await context.auth.api.getSession({ headers: request.headers });
    return session?.user.id === id;
  }
  return false;
}

/** Attributes of a cookie that must work inside the LMS's frame: partitioned per top site. */
const FRAMED = ['Secure', 'SameSite=None', 'Partitioned'];

/** A new learner session and the cookie that holds it (the same session as joining with a code). */
async function learnerSessionCookie(
  context: AuthContext,
  learnerId: string,
  framed: boolean,
): Promise<string> {
  const session = await createLearnerSession(context.db, learnerId);
  if (!framed) return learnerCookie(session.token, session.expiresAt);
  const expires = new Date(session.expiresAt).toUTCString();
  return [
    `${LEARNER_COOKIE}=${session.token}`,
    'Path=/',
    'HttpOnly',
    `Expires=${expires}`,
    ...FRAMED,
  ].join('; ');
}

/**
 * A new Better Auth session for `userId` and its cookie, signed as Better Auth signs it (HMAC-
 * SHA256 of the token with the auth secret, base64), so Better Auth reads it like its own.
 */
async function instructorSessionCookie(
  context: AuthContext,
  userId: string,
  framed: boolean,
): Promise<string> {
  const ctx = await context.auth.$context;
  const session = await ctx.internalAdapter.createSession(userId);
  const signature = createHmac('sha256', ctx.secret).update(session.token).digest('base64');
  const { name, attributes } = ctx.authCookies.sessionToken;
  const parts = [
    `${name}=${encodeURIComponent(`${session.token}.${signature}`)}`,
    'Path=/',
    'HttpOnly',
    `Expires=${new Date(session.expiresAt).toUTCString()}`,
  ];
  if (framed) parts.push(...FRAMED);
  else parts.push('SameSite=Lax', ...(attributes.secure ? ['Secure'] : []));
  return parts.join('; ');
}
