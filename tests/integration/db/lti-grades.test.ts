/** The LTI grade queue and line items on both engines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimDueLtiScores,
  completeLtiScore,
  createClass,
  createLearner,
  enqueueLtiScore,
  ltiLineItem,
  queuedLtiScores,
  retryLtiScore,
  saveLtiLineItem,
  type Database,
  type LtiScore,
} from '../../../lib/server/db/index.ts';
import { ENGINES, makeUser, openTestDatabase } from './engines.ts';

describe.each(ENGINES)('LTI grades on %s', (engine) => {
  let database: Database;
  let cleanup: () => Promise<void>;
  let score: LtiScore;

  beforeAll(async () => {
    ({ database, cleanup } = await openTestDatabase(engine));
    const made = await createClass(database.db, { name: 'C', createdBy: await makeUser(database) });
    const learner = await createLearner(database.db, { classId: made.id, nickname: 'Ada' });
    if (typeof learner === 'string') throw new Error('no learner');
    score = {
      learnerId: learner.id,
      classId: made.id,
      lessonId: 'tcp-client',
      scoreGiven: 1,
      scoreMaximum: 1,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: '2026-12-01T10:00:00.000Z',
    };
  });
  afterAll(() => cleanup());

  it('keeps one line item per lesson and class', async () => {
    expect(await ltiLineItem(database.db, score.classId, 'x')).toBeUndefined();
    await saveLtiLineItem(database.db, score.classId, 'x', 'https://lms.example/li/1');
    await saveLtiLineItem(database.db, score.classId, 'x', 'https://lms.example/li/2');
    expect(await ltiLineItem(database.db, score.classId, 'x')).toBe('https://lms.example/li/2');
  });

  it('leases a due score to one claimer, retries it later, and completes it', async () => {
    await enqueueLtiScore(database.db, score);
    const [claimed] = await claimDueLtiScores(database.db, 10, 60_000);
    expect(claimed).toMatchObject({ ...score, attempts: 0, lastError: null });
    expect(await claimDueLtiScores(database.db, 10, 60_000)).toEqual([]);
    await retryLtiScore(database.db, claimed!, 'answered 503', new Date(Date.now() - 1));
    const [again] = await claimDueLtiScores(database.db, 10, 60_000);
    expect(again).toMatchObject({ attempts: 1, lastError: 'answered 503' });
    await completeLtiScore(database.db, again!);
    expect(await queuedLtiScores(database.db, score.classId)).toEqual([]);
  });

  it('lets a newer score replace a waiting one, which then survives the old one completing', async () => {
    await enqueueLtiScore(database.db, score);
    const [old] = await claimDueLtiScores(database.db, 10, 60_000);
    const newer = { ...score, timestamp: '2026-12-02T10:00:00.000Z' };
    await enqueueLtiScore(database.db, newer);
    await completeLtiScore(database.db, old!);
    const waiting = await queuedLtiScores(database.db, score.classId);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ timestamp: newer.timestamp, attempts: 0 });
  });
});
