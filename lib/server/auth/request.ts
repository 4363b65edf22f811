/**
 * Who is asking: the learner behind a learner-session cookie, the instructor behind a Better
 * Auth session, and the checks every form post of ours passes first (same origin, as Better
 * Auth's own origin check does for its endpoints).
 */
import { authContext } from './context.ts';
import { secureCookies } from './instructor-auth.ts';
import {
  classById,
  instructorRole,
  learnerBySessionToken,
  type InstructorRole,
} from '../db/index.ts';

/** The cookie holding a learner's session token. */
export const LEARNER_COOKIE = 'handshake_learner';

/** A learner as other routes see them. */
export interface Learner {
  id: string;
  nickname: string;
  classId: string;
  className: string;
  /** An archived class's learners are still signed in but no longer record runs. */
  archived: boolean;
}

/** A signed-in instructor. */
export interface Instructor {
  id: string;
  name: string;
  email: string;
}

/** The value of one cookie in a Cookie header, or undefined. */
export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** The learner whose session cookie came with these headers, or null. */
export async function learnerFromHeaders(headers: Headers): Promise<Learner | null> {
  const token = readCookie(headers.get('cookie'), LEARNER_COOKIE);
  if (!token || token.length > 100) return null;
  const { db } = await authContext();
  const learner = await learnerBySessionToken(db, token);
  const inClass = learner && (await classById(db, learner.classId));
  if (!learner || !inClass) return null;
  return {
    id: learner.id,
    nickname: learner.nickname,
    classId: learner.classId,
    className: inClass.name,
    archived: inClass.archivedAt !== null,
  };
}

/** The learner behind a request's session cookie, or null (anonymous). */
export function learnerFromRequest(request: Request): Promise<Learner | null> {
  return learnerFromHeaders(request.headers);
}

/** The instructor whose Better Auth session came with these headers, or null. */
export async function instructorFromHeaders(headers: Headers): Promise<Instructor | null> {
  const { auth } = await authContext();
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const { id, name, email } = session.user;
  return { id, name, email };
}

/** The instructor signed in on a request, or null. */
export function instructorFromRequest(request: Request): Promise<Instructor | null> {
  return instructorFromHeaders(request.headers);
}

/**
 * True when a state-changing request came from one of our own pages: its Origin (or, failing
 * that, Referer) is the request's own origin or an allowed one. Browsers always send Origin on
 * a cross-site POST, so a forged form on another site fails here.
 */
export async function sameOrigin(request: Request): Promise<boolean> {
  const claimed = request.headers.get('origin') ?? originOf(request.headers.get('referer'));
  if (!claimed || claimed === 'null') return false;
  const { settings } = await authContext();
  return claimed === new URL(request.url).origin || settings.allowedOrigins.includes(claimed);
}

function originOf(url: string | null): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

/** The client's address as the proxy or Next.js reports it, for rate-limit keys. */
export function clientAddress(request: Request): string {
  return request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
}

/** The Set-Cookie value that opens (or, with a null token, ends) a learner session. */
export async function learnerCookie(token: string | null, expiresAt?: string): Promise<string> {
  const { settings } = await authContext();
  const parts = [
    `${LEARNER_COOKIE}=${token ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    token && expiresAt ? `Expires=${new Date(expiresAt).toUTCString()}` : 'Max-Age=0',
  ];
  if (secureCookies(settings.allowedOrigins)) parts.push('Secure');
  return parts.join('; ');
}

/**
 * The instructor on a request and their role in `classId`, or null when nobody is signed in or
 * they do not teach that class (owner or co): the one check every class-scoped route makes.
 */
export async function classInstructorFromRequest(
  request: Request,
  classId: string,
): Promise<(Instructor & { role: InstructorRole }) | null> {
  const instructor = await instructorFromRequest(request);
  if (!instructor) return null;
  const role = await instructorRole((await authContext()).db, classId, instructor.id);
  return role ? { ...instructor, role } : null;
}
