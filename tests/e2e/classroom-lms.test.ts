/**
 * A class linked to an LMS course (as an LTI launch links it) shows, on its settings page, the
 * course and platform, how its grades stand (waiting, held after repeated failures, the
 * platform's last answer), a button that sends held grades again (its instructor's only) and a
 * roster-sync button; axe (WCAG 2.1 AA) in light and dark,
 * English and Chinese. The link is made with the data layer in the running app's own database,
 * as a launch makes it; the queue's retry state is set directly and dated far ahead, so the
 * app's grade sender never picks these scores up (and no platform is ever contacted).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uiText } from '../../app/_i18n/ui-text.ts';
import {
  createLearner,
  createLtiRegistration,
  enqueueLtiScore,
  linkLtiContext,
  openDatabase,
  type Database,
} from '../../lib/server/db/index.ts';
import { MAX_ATTEMPTS } from '../../lib/server/lti/grades.ts';
import { expectAccessible } from './support/axe.ts';
import { launchBrowser, openPage } from './support/browser.ts';
import { signInInstructor } from './support/instructor.ts';

const appUrl = inject('appUrl');
const dataDir = inject('appDataDir');
const en = uiText('en');
let browser: Browser;
let database: Database | null = null;

beforeAll(async () => {
  browser = await launchBrowser();
  if (dataDir) database = await openDatabase({ dataDir });
});
afterAll(async () => {
  await browser?.close();
  await database?.close();
});

/** Links class `classId` to a course, with one grade waiting and one held. */
async function linkToCourse(db: Database['db'], classId: string): Promise<void> {
  const registration = await createLtiRegistration(db, {
    issuer: 'https://moodle.school.example',
    clientId: `e2e-${classId}`,
    authLoginUrl: 'http://127.0.0.1:9/auth',
    authTokenUrl: 'http://127.0.0.1:9/token',
    jwksUrl: 'http://127.0.0.1:9/jwks',
    deploymentIds: ['d1'],
  });
  const key = { registrationId: registration.id, deploymentId: 'd1', contextId: 'net-101' };
  await linkLtiContext(db, key, classId, {
    title: 'Networks 101',
    lineitemsUrl: 'http://127.0.0.1:9/li',
    agsScopes: [],
    membershipsUrl: 'http://127.0.0.1:9/members',
  });
  for (const nickname of ['Ada', 'Lin']) {
    const learner = await createLearner(db, { classId, nickname });
    if (typeof learner === 'string') throw new Error('no learner');
    await enqueueLtiScore(db, {
      learnerId: learner.id,
      classId,
      lessonId: 'tcp-client',
      scoreGiven: 1,
      scoreMaximum: 1,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: new Date().toISOString(),
    });
  }
  const queue = () =>
    db.updateTable('lti_grade_queue').where('class_id', '=', classId).set({
      next_attempt_at: '2099-01-01T00:00:00.000Z',
    });
  await queue().execute();
  const first = await db
    .selectFrom('lti_grade_queue')
    .select('id')
    .where('class_id', '=', classId)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('lti_grade_queue')
    .set({ attempts: MAX_ATTEMPTS, last_error: 'answered 401 Unauthorized' })
    .where('id', '=', first.id)
    .execute();
}

describe('a class linked to an LMS course', () => {
  it.skipIf(!dataDir)('shows the course, its grades and a roster sync, accessibly', async () => {
    const { page } = await openPage(browser);
    await signInInstructor(page, appUrl);
    await page.fill('#new-class-name', 'Linked class');
    await page.click(`button:has-text("${en.teach.create}")`);
    await page.waitForURL(/\/en\/teach\/classes\/[\w-]+\?saved=created$/);
    const classUrl = page.url().split('?')[0]!;
    const classId = classUrl.split('/').at(-1)!;
    await linkToCourse(database!.db, classId);
    for (const lang of ['en', 'zh'] as const) {
      const t = uiText(lang).teach.lms;
      await page.goto(classUrl.replace('/en/', `/${lang}/`));
      const section = page.locator('section[aria-labelledby="lms-heading"]');
      await expect.poll(() => section.locator('h2').textContent()).toBe(t.heading);
      const text = (await section.textContent())!;
      expect(text).toContain('Networks 101');
      expect(text).toContain('https://moodle.school.example');
      expect(text).toContain(t.held(1));
      expect(text).toContain(t.waiting(1));
      expect(text).toContain('answered 401 Unauthorized');
      await expect.poll(() => section.getByRole('button', { name: t.syncRoster }).count()).toBe(1);
      await expectAccessible(page, `class settings with an LMS course (${lang})`);
    }
    // Someone who is not the class's instructor cannot send its grades again.
    const stranger = await openPage(browser);
    const refused = await stranger.page.request.post(`${appUrl}/api/lti/grades/retry`, {
      headers: { origin: appUrl },
      form: { classId, lang: 'en' },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(403);
    await stranger.page.context().close();
    // The instructor sends the held grade again: back on the page, nothing is held.
    await page.goto(classUrl);
    await page.getByRole('button', { name: en.teach.lms.retryHeld }).click();
    await page.waitForURL(`${classUrl}?saved=grades-retry`);
    await expect
      .poll(() => page.locator('[role=status]').first().textContent())
      .toBe(en.teach.saved['grades-retry']);
    const section = page.locator('section[aria-labelledby="lms-heading"]');
    expect(await section.textContent()).not.toContain(en.teach.lms.held(1));
    expect(await section.getByRole('button', { name: en.teach.lms.retryHeld }).count()).toBe(0);
    await page.context().close();
  });
});
