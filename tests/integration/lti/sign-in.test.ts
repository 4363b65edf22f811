/**
 * A valid launch signs in, over real HTTP against the mock platform: a learner as a learner of
 * the course's class (made on the first launch), an instructor as an account linked to the
 * platform user, inside the LMS's frame (a partitioned cookie) or not, and with a page that
 * opens a new window when the browser refuses the cookie.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  classById,
  classLessons,
  findLtiContext,
  instructorRole,
  learnersOf,
  ltiUserAccount,
} from '../../../lib/server/db/index.ts';
import { launchInBrowser, TestBrowser } from './tool-server.ts';
import { startLtiHandlerWorld } from './world.ts';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

const { context, platform, registration, tool, faults, close } = await startLtiHandlerWorld({
  lessons: [{ id: 'tcp-echo-server', slug: '03-tcp-server' }],
});
afterAll(close);

beforeEach(() => {
  platform.tweaks = {};
  expect(faults).toEqual([]);
});

/** The context of the mock's launches, as the tool keys it. */
const courseKey = () => ({
  registrationId: registration.id,
  deploymentId: platform.deploymentId,
  contextId: 'course-42',
});

describe('a learner launch', () => {
  it('makes the class and the learner on first launch and signs in as that learner', async () => {
    const browser = new TestBrowser();
    const { hops } = await launchInBrowser(browser, tool, platform);
    expect(hops.map((hop) => hop.split('?')[0])).toEqual([
      '/api/lti/enter',
      '/api/lti/landed',
      '/en',
    ]);
    const course = await findLtiContext(context.db, courseKey());
    expect(course).toMatchObject({ title: 'Networks 101' });
    expect((await classById(context.db, course!.classId))?.name).toBe('Networks 101');
    expect(await classLessons(context.db, course!.classId)).toEqual(['tcp-echo-server']);
    const learners = await learnersOf(context.db, course!.classId);
    expect(learners.map((l) => l.nickname)).toEqual(['Ada Lovelace']);
    // The cookie is the learner session of joining with a code: the app knows the learner.
    const cookie = browser.setCookies.find((c) => c.startsWith('handshake_learner='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('signs the same platform user in as the same learner; another one gets a unique nickname', async () => {
    await launchInBrowser(new TestBrowser(), tool, platform);
    await launchInBrowser(new TestBrowser(), tool, platform, { login_hint: 'learner-8' });
    platform.tweaks = { claims: { name: undefined, given_name: 'Ada' } };
    await launchInBrowser(new TestBrowser(), tool, platform, { login_hint: 'learner-9' });
    const course = await findLtiContext(context.db, courseKey());
    const names = (await learnersOf(context.db, course!.classId)).map((l) => l.nickname);
    expect(names.toSorted()).toEqual(['Ada', 'Ada Lovelace', 'Ada Lovelace 2']);
  });

  it("lands on the resource link's lesson, in the LMS's language", async () => {
    platform.tweaks = {
      claims: {
        [`${LTI}custom`]: { lesson_id: 'tcp-echo-server' },
        [`${LTI}launch_presentation`]: { locale: 'zh-CN' },
      },
    };
    const { hops } = await launchInBrowser(new TestBrowser(), tool, platform);
    expect(hops.at(-1)).toBe('/zh/lessons/03-tcp-server');
  });

  it('refuses a launch from outside a course, or by someone who neither teaches nor learns', async () => {
    platform.tweaks = { omit: [`${LTI}context`] };
    const outside = await launchInBrowser(new TestBrowser(), tool, platform);
    expect(await outside.response.json()).toMatchObject({ error: 'context-missing' });
    platform.tweaks = {
      claims: {
        [`${LTI}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Guest'],
      },
    };
    const guest = await launchInBrowser(new TestBrowser(), tool, platform);
    expect(await guest.response.json()).toMatchObject({ error: 'role-unsupported' });
  });
});

describe('an instructor launch', () => {
  it('signs in as a password-less account linked to the platform user, who teaches the class', async () => {
    platform.tweaks = { claims: { name: 'Grace Hopper', [`${LTI}roles`]: [INSTRUCTOR] } };
    const browser = new TestBrowser();
    const { hops } = await launchInBrowser(browser, tool, platform, { login_hint: 'teacher-1' });
    const course = await findLtiContext(context.db, courseKey());
    expect(hops.at(-1)).toBe(`/en/teach/classes/${course!.classId}/dashboard`);
    const userId = await ltiUserAccount(context.db, registration.id, 'teacher-1');
    // The class was opened by a learner: its owner was the platform's account, now the teacher.
    expect(await instructorRole(context.db, course!.classId, userId!)).toBe('owner');
    const session = await context.auth.api.getSession({
      headers: new Headers({ cookie: browser.cookieHeader() }),
    });
    expect(session?.user).toMatchObject({ id: userId, name: 'Grace Hopper' });
    const credentials = await context.db
      .selectFrom('account')
      .select('id')
      .where('userId', '=', userId!)
      .execute();
    expect(credentials).toEqual([]);
    // The same teacher again: the same account.
    await launchInBrowser(new TestBrowser(), tool, platform, { login_hint: 'teacher-1' });
    expect(await ltiUserAccount(context.db, registration.id, 'teacher-1')).toBe(userId);
  });

  it("makes a new course's class owned by the first instructor who launches it", async () => {
    platform.tweaks = {
      claims: {
        [`${LTI}roles`]: [INSTRUCTOR],
        [`${LTI}context`]: { id: 'course-77', title: 'Sockets 2' },
      },
    };
    await launchInBrowser(new TestBrowser(), tool, platform, { login_hint: 'teacher-2' });
    const course = await findLtiContext(context.db, { ...courseKey(), contextId: 'course-77' });
    const userId = await ltiUserAccount(context.db, registration.id, 'teacher-2');
    expect((await classById(context.db, course!.classId))?.createdBy).toBe(userId);
    expect(await instructorRole(context.db, course!.classId, userId!)).toBe('owner');
  });
});

describe('inside the LMS frame', () => {
  it('sets a partitioned cookie when the hand-off is a navigation in a frame', async () => {
    const browser = new TestBrowser();
    browser.headers = { 'sec-fetch-dest': 'iframe' };
    const { hops } = await launchInBrowser(browser, tool, platform);
    expect(hops.at(-1)).toBe('/en');
    const cookie = browser.setCookies.find((c) => c.startsWith('handshake_learner='))!;
    expect(cookie).toMatch(/Secure; SameSite=None; Partitioned/);
  });

  it('offers a new window when the cookie did not stick, which signs in once', async () => {
    const framed = new TestBrowser();
    // The login's state cookie sticks (SameSite=None), the session cookie after it does not.
    framed.acceptCookie = (cookie) => cookie.startsWith('lti_state_');
    framed.headers = { accept: 'text/html', 'accept-language': 'zh-CN,zh;q=0.9' };
    const { response, hops } = await launchInBrowser(framed, tool, platform);
    expect(hops.at(-1)).toMatch(/^\/api\/lti\/landed\?/);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('Open in a new window');
    const href = /href="([^"]+)" target="_blank" rel="noopener"/
      .exec(page)![1]!
      .replace(/&amp;/g, '&');
    const window = new TestBrowser();
    const opened = await window.follow(new URL(href, tool.origin).href);
    expect(opened.hops.at(-1)).toBe('/en');
    expect(window.cookies.has('handshake_learner')).toBe(true);
    // The link is single use: opened again, it is refused with a page in the browser's language.
    const again = new TestBrowser();
    again.headers = { accept: 'text/html', 'accept-language': 'zh-CN' };
    const refused = await again.fetch(new URL(href, tool.origin).href);
    expect(refused.status).toBe(400);
    const refusal = await refused.text();
    expect(refusal).toContain('<html lang="zh-CN">');
    expect(refusal).toContain('role="alert"');
    expect(refusal).toContain('这个登录链接已经用过或已过期');
  });

  it('spends the spare hand-off when the cookie came back', async () => {
    const browser = new TestBrowser();
    const { hops } = await launchInBrowser(browser, tool, platform);
    const landed = new URL(hops[1]!, tool.origin);
    const spare = landed.searchParams.get('retry')!;
    const replay = await new TestBrowser().fetch(`${tool.origin}/api/lti/enter?handoff=${spare}`);
    expect(await replay.json()).toMatchObject({ error: 'handoff-unknown' });
  });
});
