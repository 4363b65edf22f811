/** What a class's settings page says about its LMS course and grades, on both engines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimDueLtiScores,
  createClass,
  createLearner,
  createLtiRegistration,
  enqueueLtiScore,
  linkLtiContext,
  releaseHeldLtiScores,
  retryLtiScore,
  type Database,
} from '../../../lib/server/db/index.ts';
import { ltiClassStatus } from '../../../lib/server/lti/class-status.ts';
import { MAX_ATTEMPTS } from '../../../lib/server/lti/grades.ts';
import { ENGINES, makeUser, openTestDatabase } from './engines.ts';

describe.each(ENGINES)('a class’s LMS status on %s', (engine) => {
  let database: Database;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ database, cleanup } = await openTestDatabase(engine));
  });
  afterAll(() => cleanup());

  it('is null for a class joined with a code, and counts waiting and held grades for a linked one', async () => {
    const db = database.db;
    const owner = await makeUser(database);
    const plain = await createClass(db, { name: 'Plain', createdBy: owner });
    expect(await ltiClassStatus(db, plain.id)).toBeNull();

    const registration = await createLtiRegistration(db, {
      issuer: 'https://moodle.school.example',
      clientId: 'c',
      authLoginUrl: 'https://moodle.school.example/auth',
      authTokenUrl: 'https://moodle.school.example/token',
      jwksUrl: 'https://moodle.school.example/jwks',
      deploymentIds: ['d'],
    });
    const linked = await createClass(db, { name: 'Linked', createdBy: owner });
    const key = { registrationId: registration.id, deploymentId: 'd', contextId: 'net-101' };
    await linkLtiContext(db, key, linked.id, {
      title: 'Networks 101',
      lineitemsUrl: 'https://moodle.school.example/li',
      agsScopes: [],
      membershipsUrl: 'https://moodle.school.example/members',
    });
    expect(await ltiClassStatus(db, linked.id)).toEqual({
      course: 'Networks 101',
      platform: 'https://moodle.school.example',
      waiting: 0,
      held: 0,
      lastError: null,
      canSyncRoster: true,
    });

    for (const nickname of ['Ada', 'Lin']) {
      const learner = await createLearner(db, { classId: linked.id, nickname });
      if (typeof learner === 'string') throw new Error('no learner');
      await enqueueLtiScore(db, {
        learnerId: learner.id,
        classId: linked.id,
        lessonId: 'tcp-client',
        scoreGiven: 1,
        scoreMaximum: 1,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        timestamp: '2026-12-01T10:00:00.000Z',
      });
    }
    // One grade fails until it is held.
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [claimed] = await claimDueLtiScores(db, 1, 60_000);
      await retryLtiScore(db, claimed!, `answered 401 (try ${attempt + 1})`, new Date(0));
    }
    const status = await ltiClassStatus(db, linked.id);
    expect(status).toMatchObject({ waiting: 1, held: 1 });
    expect(status?.lastError).toMatch(/^answered 401/);
    // Sent again (the settings page's button): nothing held, both due now with fresh counts.
    expect(await releaseHeldLtiScores(db, linked.id, MAX_ATTEMPTS)).toBe(1);
    expect(await ltiClassStatus(db, linked.id)).toMatchObject({ waiting: 2, held: 0 });
    expect(await releaseHeldLtiScores(db, linked.id, MAX_ATTEMPTS)).toBe(0);
    const due = await claimDueLtiScores(db, 10, 60_000);
    expect(due.map((score) => score.attempts).sort()).toEqual([0, 0]);
  });
});
