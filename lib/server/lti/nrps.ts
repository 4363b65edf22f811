/**
 * Names and Role Provisioning Services 2.0: the course's members, read page by page (Link
 * rel="next"), fill the class's roster before anyone launches: each active learner becomes a
 * learner of the class linked to their platform user (so their first launch finds them), each
 * active teacher an instructor of it.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AuthContext } from '../auth/context.ts';
import {
  addInstructor,
  ltiContextOfClass,
  ltiRegistrationById,
  type LtiRegistration,
  type Schema,
} from '../db/index.ts';
import { launchRole } from './claims.ts';
import {
  LtiServiceError,
  safeJson,
  SERVICE_TIMEOUT_MS,
  type ServiceTokens,
} from './service-token.ts';
import { ensureLtiAccount, ensureLtiLearner, joiningRole } from './sign-in.ts';

export const NRPS_SCOPE =
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
const MEMBERSHIPS = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';
/** Pages read at most: 100 pages of a platform's page size is far beyond any class. */
const MAX_PAGES = 100;

const Member = z.object({
  user_id: z.string().min(1),
  roles: z.array(z.string()),
  status: z.string().optional(),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
});
export type NrpsMember = z.infer<typeof Member>;
const Container = z.object({ members: z.array(z.unknown()) });

/** The URL of a Link header's rel="next", or undefined. */
export function nextLink(header: string | null): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (match && /\brel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(match[2]!)) return match[1];
  }
  return undefined;
}

/** Every member of the course at `url`, following the pages; malformed members are skipped. */
export async function fetchMembers(
  tokens: ServiceTokens,
  registration: LtiRegistration,
  url: string,
): Promise<NrpsMember[]> {
  const members: NrpsMember[] = [];
  let next: string | undefined = url;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const token = await tokens.token(registration, [NRPS_SCOPE]);
    const response: Response = await fetch(next, {
      headers: { authorization: `Bearer ${token}`, accept: MEMBERSHIPS },
      signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
    });
    const text = await response.text();
    if (response.status === 401) tokens.forget(registration, [NRPS_SCOPE]);
    if (!response.ok)
      throw new LtiServiceError(`GET ${next} answered ${response.status}: ${text.slice(0, 300)}`);
    const container = Container.safeParse(safeJson(text));
    if (!container.success) throw new LtiServiceError(`GET ${next}: not a membership container`);
    for (const raw of container.data.members) {
      const member = Member.safeParse(raw);
      if (member.success) members.push(member.data);
    }
    next = nextLink(response.headers.get('link'));
  }
  return members;
}

/** What a roster sync did. */
export interface RosterSync {
  members: number;
  learners: number;
  instructors: number;
}

/**
 * Fills the class's roster from its course's membership service: active learners become linked
 * learners, active teachers instructors. Throws LtiServiceError when the class has no course
 * with NRPS or the platform refuses.
 */
export async function syncRoster(
  context: AuthContext,
  tokens: ServiceTokens,
  classId: string,
): Promise<RosterSync> {
  const { db, auth } = context;
  const course = await ltiContextOfClass(db, classId);
  const registration = course && (await ltiRegistrationById(db, course.registrationId));
  if (!course?.membershipsUrl || !registration)
    throw new LtiServiceError('this class has no LMS course with a membership service');
  const members = await fetchMembers(tokens, registration, course.membershipsUrl);
  const sync: RosterSync = { members: members.length, learners: 0, instructors: 0 };
  for (const member of members) {
    if (member.status !== undefined && member.status !== 'Active') continue;
    const person = {
      registrationId: registration.id,
      subject: member.user_id,
      name: member.name ?? member.given_name,
    };
    const role = launchRole(member.roles);
    if (role === 'learner') {
      await ensureLtiLearner(db, person, classId);
      sync.learners++;
    } else if (role === 'instructor') {
      await addTeacher(db, auth, person, classId);
      sync.instructors++;
    }
  }
  return sync;
}

async function addTeacher(
  db: Kysely<Schema>,
  auth: AuthContext['auth'],
  person: { registrationId: string; subject: string; name: string | undefined },
  classId: string,
): Promise<void> {
  const userId = await ensureLtiAccount(db, auth, person);
  await addInstructor(db, classId, userId, await joiningRole(db, person.registrationId, classId));
}
