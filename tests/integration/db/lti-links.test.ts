/**
 * The LTI link repository (courses to classes, platform users to accounts and learners,
 * single-use hand-offs, platform-storage logins) on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classById,
  createClass,
  createLearner,
  createLtiHandoff,
  createLtiRegistration,
  findLtiContext,
  linkLtiContext,
  linkLtiLearner,
  linkLtiUser,
  ltiContextOfClass,
  ltiLearner,
  ltiSubjectOfLearner,
  ltiUserAccount,
  peekLtiLogin,
  saveLtiLogin,
  takeLtiHandoff,
  takeLtiLogin,
  updateLtiContextServices,
  type Database,
  type LtiRegistration,
} from '../../../lib/server/db/index.ts';
import { ENGINES, makeUser, openTestDatabase } from './engines.ts';

const services = {
  title: 'Networks 101',
  lineitemsUrl: 'https://lms.example/lineitems',
  agsScopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
  membershipsUrl: null,
};

describe.each(ENGINES)('LTI links on %s', (engine) => {
  let database: Database;
  let cleanup: () => Promise<void>;
  let registration: LtiRegistration;
  let owner: string;

  beforeAll(async () => {
    ({ database, cleanup } = await openTestDatabase(engine));
    registration = await createLtiRegistration(database.db, {
      issuer: 'https://lms.example',
      clientId: 'c',
      authLoginUrl: 'https://lms.example/auth',
      authTokenUrl: 'https://lms.example/token',
      jwksUrl: 'https://lms.example/jwks',
      deploymentIds: ['d'],
    });
    owner = await makeUser(database);
  });
  afterAll(() => cleanup());

  it('links a course to one class: a second link loses and its class goes', async () => {
    const key = { registrationId: registration.id, deploymentId: 'd', contextId: 'course-1' };
    const first = await createClass(database.db, { name: 'A', createdBy: owner });
    const second = await createClass(database.db, { name: 'B', createdBy: owner });
    expect(await linkLtiContext(database.db, key, first.id, services)).toMatchObject({
      ...key,
      ...services,
      classId: first.id,
    });
    expect((await linkLtiContext(database.db, key, second.id, services)).classId).toBe(first.id);
    expect(await classById(database.db, second.id)).toBeUndefined();
    await updateLtiContextServices(database.db, key, {
      ...services,
      title: 'Networks 102',
      membershipsUrl: 'https://lms.example/members',
    });
    expect(await ltiContextOfClass(database.db, first.id)).toMatchObject({
      title: 'Networks 102',
      membershipsUrl: 'https://lms.example/members',
    });
    expect(await findLtiContext(database.db, { ...key, deploymentId: 'other' })).toBeUndefined();
  });

  it('links a platform user to one account and, per class, to one learner', async () => {
    expect(await ltiUserAccount(database.db, registration.id, 'sub-1')).toBeUndefined();
    expect(await linkLtiUser(database.db, registration.id, 'sub-1', owner)).toBe(owner);
    const other = await makeUser(database);
    expect(await linkLtiUser(database.db, registration.id, 'sub-1', other)).toBe(owner);
    const made = await createClass(database.db, { name: 'C', createdBy: owner });
    const ada = await createLearner(database.db, { classId: made.id, nickname: 'Ada' });
    const ada2 = await createLearner(database.db, { classId: made.id, nickname: 'Ada 2' });
    if (typeof ada === 'string' || typeof ada2 === 'string') throw new Error('no learner');
    const link = { registrationId: registration.id, subject: 'sub-2', classId: made.id };
    expect(await linkLtiLearner(database.db, { ...link, learnerId: ada.id })).toBe(ada.id);
    expect(await linkLtiLearner(database.db, { ...link, learnerId: ada2.id })).toBe(ada.id);
    expect(await ltiLearner(database.db, registration.id, 'sub-2', made.id)).toBe(ada.id);
    expect(await ltiSubjectOfLearner(database.db, ada.id)).toEqual({
      registrationId: registration.id,
      subject: 'sub-2',
    });
    expect(await ltiSubjectOfLearner(database.db, ada2.id)).toBeUndefined();
  });

  it('signs a hand-off in once, never after it expired', async () => {
    const handoff = { learnerId: null, userId: owner, destination: '/en' };
    const token = await createLtiHandoff(database.db, handoff, 60_000);
    expect(await takeLtiHandoff(database.db, token)).toEqual(handoff);
    expect(await takeLtiHandoff(database.db, token)).toBeNull();
    const stale = await createLtiHandoff(database.db, handoff, -1);
    expect(await takeLtiHandoff(database.db, stale)).toBeNull();
  });

  it('keeps how a login is bound: a cookie, or the platform storage frame and secret hash', async () => {
    const storage = { target: 'post_message_forwarding', bindingHash: 'ab'.repeat(32) };
    const login = { nonce: 'n', registrationId: registration.id, storage };
    await saveLtiLogin(database.db, 'state-s', login, new Date(Date.now() + 60_000));
    expect(await peekLtiLogin(database.db, 'state-s')).toEqual(login);
    expect(await peekLtiLogin(database.db, 'state-s')).toEqual(login);
    expect(await takeLtiLogin(database.db, 'state-s')).toMatchObject({ nonce: 'n' });
    expect(await peekLtiLogin(database.db, 'state-s')).toBeNull();
    await saveLtiLogin(
      database.db,
      'state-c',
      { nonce: 'm', registrationId: registration.id },
      new Date(Date.now() + 60_000),
    );
    expect((await peekLtiLogin(database.db, 'state-c'))?.storage).toBeUndefined();
  });
});
