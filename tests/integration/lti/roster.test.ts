/**
 * Names and Role Provisioning over real HTTP through the app's routes: an instructor's launch
 * fills the class's roster from the mock platform's membership service (three pages, Link
 * rel="next"); a rostered learner's first launch finds their learner; an instructor can sync
 * again by a form post.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  findLtiContext,
  instructorsOf,
  learnersOf,
  ltiUserAccount,
} from '../../../lib/server/db/index.ts';
import { nextLink } from '../../../lib/server/lti/nrps.ts';
import * as enter from '../../../app/api/lti/enter/route.ts';
import * as jwks from '../../../app/api/lti/jwks/route.ts';
import * as landed from '../../../app/api/lti/landed/route.ts';
import * as launch from '../../../app/api/lti/launch/route.ts';
import * as login from '../../../app/api/lti/login/route.ts';
import * as roster from '../../../app/api/lti/roster/route.ts';
import { member } from './mock-services.ts';
import { launchInBrowser, TestBrowser } from './tool-server.ts';
import { startLtiWorld } from './world.ts';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

const { context, platform, registration, tool, close } = await startLtiWorld({
  '/api/lti/login': login.GET,
  '/api/lti/launch': launch.POST,
  '/api/lti/enter': enter.GET,
  '/api/lti/landed': landed.GET,
  '/api/lti/jwks': jwks.GET,
  '/api/lti/roster': roster.POST,
});
afterAll(close);
platform.services.members.push(
  member('teacher-1', 'Instructor', 'Grace Hopper'),
  member('learner-1', 'Learner', 'Ada Lovelace'),
  member('learner-2', 'Learner', 'Alan Turing'),
  { ...member('learner-3', 'Learner', 'Gone Away'), status: 'Inactive' },
  member('teacher-2', 'Instructor', 'Barbara Liskov'),
);

const classId = async () =>
  (await findLtiContext(context.db, {
    registrationId: registration.id,
    deploymentId: platform.deploymentId,
    contextId: 'course-42',
  }))!.classId;

const nicknames = async () =>
  (await learnersOf(context.db, await classId())).map((l) => l.nickname).toSorted();

describe('the class roster from the LMS', () => {
  it("fills the roster after an instructor's launch, reading every page", async () => {
    platform.tweaks = { claims: { name: 'Grace Hopper', [`${LTI}roles`]: [INSTRUCTOR] } };
    await launchInBrowser(new TestBrowser(), tool, platform, { login_hint: 'teacher-1' });
    await expect.poll(nicknames).toEqual(['Ada Lovelace', 'Alan Turing']);
    await expect
      .poll(async () => (await instructorsOf(context.db, await classId())).length)
      .toBe(2);
    const liskov = await ltiUserAccount(context.db, registration.id, 'teacher-2');
    expect((await instructorsOf(context.db, await classId())).map((i) => i.userId)).toContain(
      liskov,
    );
  });

  it("finds a rostered learner's learner on their first launch", async () => {
    platform.tweaks = { claims: { name: 'Ada L.' } };
    await launchInBrowser(new TestBrowser(), tool, platform, { login_hint: 'learner-1' });
    expect(await nicknames()).toEqual(['Ada Lovelace', 'Alan Turing']);
  });

  it('syncs again on an instructor form post, and refuses anyone else', async () => {
    platform.services.members.push(member('learner-4', 'Learner', 'Edsger Dijkstra'));
    platform.tweaks = { claims: { [`${LTI}roles`]: [INSTRUCTOR] } };
    const teacher = new TestBrowser();
    await launchInBrowser(teacher, tool, platform, { login_hint: 'teacher-1' });
    const post = (browser: TestBrowser, forClass = '') =>
      browser.postForm(
        `${tool.origin}/api/lti/roster`,
        { classId: forClass },
        { origin: tool.origin },
      );
    const id = await classId();
    const synced = await post(teacher, id);
    expect(await synced.json()).toEqual({ members: 6, learners: 3, instructors: 2 });
    expect(await nicknames()).toContain('Edsger Dijkstra');
    expect((await post(new TestBrowser())).status).toBe(403);
    // From the class's settings page (it sends its language): back there, saying it was done.
    const fromPage = await teacher.postForm(
      `${tool.origin}/api/lti/roster`,
      { classId: id, lang: 'zh' },
      { origin: tool.origin },
    );
    expect(fromPage.status).toBe(303);
    expect(fromPage.headers.get('location')).toBe(`/zh/teach/classes/${id}?saved=roster`);
  });
});

describe('nextLink', () => {
  it('finds rel="next" among the links of a Link header', () => {
    expect(nextLink('<https://a/p2>; rel="next"')).toBe('https://a/p2');
    expect(nextLink('<https://a/p1>; rel="prev", <https://a/p3>; rel=next')).toBe('https://a/p3');
    expect(nextLink('<https://a/d>; rel="differences"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});
