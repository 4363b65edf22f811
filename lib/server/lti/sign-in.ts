/**
 * What a valid launch signs in as. The LMS course (context) maps to a class, made on its first
 * launch with the course's title; a learner launch maps the platform user to a learner of that
 * class (made on first launch, nickname from the name claim, made unique in the class) and an
 * instructor launch to an instructor account linked to the platform user (made without a
 * password on first launch) who teaches the class. The launch then leads to a single-use
 * hand-off (sessions.ts), never straight to a cookie: the launch is a cross-site form post.
 */
import type { Kysely } from 'kysely';
import type { AuthContext } from '../auth/context.ts';
import { cleanNickname } from '../auth/codes.ts';
import {
  addInstructor,
  classById,
  createClass,
  createLearner,
  findLtiContext,
  linkLtiContext,
  linkLtiLearner,
  linkLtiUser,
  ltiLearner,
  ltiUserAccount,
  saveLtiLineItem,
  updateLtiContextServices,
  type LtiContextKey,
  type LtiContextServices,
  type Schema,
} from '../db/index.ts';
import { NICKNAME_MAX } from '../db/ids.ts';
import type { Lang } from '../../protocol.ts';
import { LtiError } from './errors.ts';
import type { LtiLaunch } from './launch.ts';

/** A lesson as launches name it (custom `lesson_id`) and the app's URLs do (slug). */
export interface LessonRef {
  id: string;
  slug: string;
  /** Its title per language (the lesson picker shows it). */
  titles?: Partial<Record<Lang, string>> | undefined;
}

/** What mapping a launch needs: the app's auth context and its lessons. */
export interface SignInDeps {
  context: () => Promise<AuthContext>;
  lessons: () => Promise<LessonRef[]>;
  /** Runs after each instructor launch, not awaited (the app syncs the roster from NRPS). */
  afterInstructorLaunch?: ((classId: string) => void) | undefined;
}

/** Who a launch signs in and where it lands. */
export interface LaunchIdentity {
  kind: 'learner' | 'instructor';
  /** The learner id or the instructor's user id. */
  id: string;
  classId: string;
  destination: string;
}

/** The language the app speaks to this launch's user: the LMS's locale when it is Chinese. */
export function launchLang(launch: LtiLaunch): Lang {
  return launch.locale?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The lesson a launch names (custom `lesson_id`, set by Deep Linking), when it is one of ours. */
export function launchLessonId(launch: LtiLaunch): string | undefined {
  const named = launch.custom.lesson_id ?? launch.custom.lesson;
  return typeof named === 'string' && named !== '' ? named : undefined;
}

/** Maps a validated resource link launch to the learner or instructor it signs in as. */
export async function identifyLaunch(deps: SignInDeps, launch: LtiLaunch): Promise<LaunchIdentity> {
  if (launch.role === 'other')
    throw new LtiError(
      'role-unsupported',
      `roles ${launch.roles.join(', ')} neither teach nor learn`,
    );
  if (!launch.context)
    throw new LtiError('context-missing', 'the launch names no course (context)');
  const { db, auth } = await deps.context();
  const lang = launchLang(launch);
  if (launch.role === 'instructor') {
    const userId = await instructorAccount(db, auth, launch);
    const classId = await classOfLaunch(deps, launch, userId);
    await rememberLineItem(db, launch, classId);
    await addInstructor(
      db,
      classId,
      userId,
      await joiningRole(db, launch.registration.id, classId),
    );
    deps.afterInstructorLaunch?.(classId);
    return {
      kind: 'instructor',
      id: userId,
      classId,
      destination: `/${lang}/teach/classes/${classId}/dashboard`,
    };
  }
  const classId = await classOfLaunch(deps, launch, undefined);
  await rememberLineItem(db, launch, classId);
  const learnerId = await learnerOf(db, launch, classId);
  return {
    kind: 'learner',
    id: learnerId,
    classId,
    destination: await learnerDestination(deps, launch, lang),
  };
}

/**
 * The role of an instructor joining the class: owner when the platform's own account made it
 * (a learner launched first), so the course's teachers can manage it; else co-instructor.
 */
export async function joiningRole(
  db: Kysely<Schema>,
  registrationId: string,
  classId: string,
): Promise<'owner' | 'co'> {
  const platform = await ltiUserAccount(db, registrationId, '');
  const made = await classById(db, classId);
  return platform !== undefined && made?.createdBy === platform ? 'owner' : 'co';
}

/**
 * The line item the platform made for this resource link (a Deep Linking item with a lineItem
 * names it in the launch's AGS claim): the lesson's grades go there, none is looked up or made.
 */
async function rememberLineItem(db: Kysely<Schema>, launch: LtiLaunch, classId: string) {
  const lessonId = launchLessonId(launch);
  if (lessonId && launch.ags?.lineitem)
    await saveLtiLineItem(db, classId, lessonId, launch.ags.lineitem);
}

/** The class's lesson list, or the lesson the resource link names. */
async function learnerDestination(
  deps: SignInDeps,
  launch: LtiLaunch,
  lang: Lang,
): Promise<string> {
  const lessonId = launchLessonId(launch);
  const lesson = lessonId && (await deps.lessons()).find((l) => l.id === lessonId);
  return lesson ? `/${lang}/lessons/${lesson.slug}` : `/${lang}`;
}

function contextKey(launch: LtiLaunch): LtiContextKey {
  return {
    registrationId: launch.registration.id,
    deploymentId: launch.deploymentId,
    contextId: launch.context!.id,
  };
}

/** The services this launch offers, to keep with its course. */
export function launchServices(launch: LtiLaunch): LtiContextServices {
  const context = launch.context!;
  return {
    title: (context.title || context.label || context.id).slice(0, 200),
    lineitemsUrl: launch.ags?.lineitems ?? null,
    agsScopes: launch.ags?.scope ?? [],
    membershipsUrl: launch.nrps?.context_memberships_url ?? null,
  };
}

/**
 * The class of the launch's course, made on its first launch (owned by the launching instructor,
 * or by the platform's own account when a learner comes first) with every lesson.
 */
async function classOfLaunch(
  deps: SignInDeps,
  launch: LtiLaunch,
  instructorId: string | undefined,
): Promise<string> {
  const { db, auth } = await deps.context();
  const key = contextKey(launch);
  const services = launchServices(launch);
  const known = await findLtiContext(db, key);
  if (known && (await classById(db, known.classId))) {
    await updateLtiContextServices(db, key, services);
    return known.classId;
  }
  const owner = instructorId ?? (await platformAccount(db, auth, launch));
  // Every lesson, in course order, as a class made on the teach page has.
  const lessonIds = (await deps.lessons()).map((lesson) => lesson.id);
  const made = await createClass(db, { name: services.title, createdBy: owner, lessonIds });
  return (await linkLtiContext(db, key, made.id, services)).classId;
}

/** A platform user as a launch or the course's roster names them. */
export interface PlatformPerson {
  registrationId: string;
  subject: string;
  name: string | undefined;
}

function personOf(launch: LtiLaunch): PlatformPerson {
  return { registrationId: launch.registration.id, subject: launch.subject!, name: launch.name };
}

/** The learner the launching platform user is in the class, made (and linked) on first launch. */
function learnerOf(db: Kysely<Schema>, launch: LtiLaunch, classId: string): Promise<string> {
  return ensureLtiLearner(db, personOf(launch), classId);
}

/**
 * The learner `person` is in the class: the linked one, else a new one named after them
 * (`Ada`, `Ada 2`… so nicknames stay unique in the class) and linked.
 */
export async function ensureLtiLearner(
  db: Kysely<Schema>,
  person: PlatformPerson,
  classId: string,
): Promise<string> {
  const { registrationId, subject } = person;
  const known = await ltiLearner(db, registrationId, subject, classId);
  if (known) return known;
  const base = cleanNickname(person.name ?? '') ?? 'Learner';
  for (let n = 1; n < 1000; n++) {
    const suffix = n === 1 ? '' : ` ${n}`;
    const nickname = [...base].slice(0, NICKNAME_MAX - suffix.length).join('') + suffix;
    const learner = await createLearner(db, { classId, nickname });
    if (learner === 'taken') continue;
    if (learner === 'invalid') throw new Error(`nickname ${nickname} is invalid`);
    const linked = await linkLtiLearner(db, {
      registrationId,
      subject,
      classId,
      learnerId: learner.id,
    });
    // A second launch of the same user at the same moment linked its own learner first.
    if (linked !== learner.id)
      await db.deleteFrom('learners').where('id', '=', learner.id).execute();
    return linked;
  }
  throw new Error(`no free nickname like ${base} in class ${classId}`);
}

/** The instructor account linked to the launching platform user, made on first launch. */
function instructorAccount(
  db: Kysely<Schema>,
  auth: AuthContext['auth'],
  launch: LtiLaunch,
): Promise<string> {
  return ensureLtiAccount(db, auth, personOf(launch));
}

/** The instructor account linked to `person`, made (without a password) and linked when none. */
export async function ensureLtiAccount(
  db: Kysely<Schema>,
  auth: AuthContext['auth'],
  person: PlatformPerson,
): Promise<string> {
  const known = await ltiUserAccount(db, person.registrationId, person.subject);
  if (known) return known;
  const name = (person.name ?? '').trim().slice(0, 100) || 'Instructor';
  return linkedAccount(db, auth, person.registrationId, person.subject, name);
}

/**
 * The platform's own account (linked under subject ''), owner of the classes a learner opened
 * before any instructor launched: classes need an owning account, and it cannot sign in.
 */
async function platformAccount(
  db: Kysely<Schema>,
  auth: AuthContext['auth'],
  launch: LtiLaunch,
): Promise<string> {
  const registrationId = launch.registration.id;
  const known = await ltiUserAccount(db, registrationId, '');
  if (known) return known;
  const host = new URL(launch.registration.issuer).host;
  return linkedAccount(db, auth, registrationId, '', `LMS ${host}`);
}

/**
 * A new password-less account linked to (registration, subject); when a concurrent launch
 * linked another first, ours is removed and theirs returned.
 */
async function linkedAccount(
  db: Kysely<Schema>,
  auth: AuthContext['auth'],
  registrationId: string,
  subject: string,
  name: string,
): Promise<string> {
  const userId = await createPasswordlessUser(auth, name, registrationId);
  const linked = await linkLtiUser(db, registrationId, subject, userId);
  if (linked !== userId) await db.deleteFrom('user').where('id', '=', userId).execute();
  return linked;
}

/**
 * A Better Auth user with no credential account (so no password sign-in), made through the
 * adapter rather than the sign-up endpoint: the platform vouches for the user, so the sign-up
 * policy (closed after the first instructor) does not apply. Its email is a reserved `.invalid`
 * address, never the platform's claim: an email from an LMS must not take over an account here.
 */
async function createPasswordlessUser(
  auth: AuthContext['auth'],
  name: string,
  registrationId: string,
): Promise<string> {
  const ctx = await auth.$context;
  const local = crypto.randomUUID();
  const now = new Date();
  const user = await ctx.adapter.create<Record<string, unknown>, { id: string }>({
    model: 'user',
    data: {
      name,
      email: `${local}@${registrationId.toLowerCase().replace(/[^a-z0-9]/g, '')}.lti.invalid`,
      emailVerified: false,
      createdAt: now,
      updatedAt: now,
    },
  });
  return user.id;
}
