/**
 * Deep Linking over real HTTP through the app's routes: the platform's deep linking request
 * opens the lesson picker (in the instructor's language, accessible), the picked lessons go
 * back as a signed LtiDeepLinkingResponse that the mock platform verifies against the tool's
 * JWKS: ltiResourceLink items with custom lesson_id and a line item per lesson.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { listLessons } from '../../../lib/lessons/catalog.ts';
import * as deepLink from '../../../app/api/lti/deep-link/route.ts';
import * as jwks from '../../../app/api/lti/jwks/route.ts';
import * as launch from '../../../app/api/lti/launch/route.ts';
import * as login from '../../../app/api/lti/login/route.ts';
import { launchInBrowser, readLaunchForm, TestBrowser } from './tool-server.ts';
import { startLtiWorld } from './world.ts';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

const { platform, tool, close } = await startLtiWorld({
  '/api/lti/login': login.GET,
  '/api/lti/launch': launch.POST,
  '/api/lti/deep-link': deepLink.POST,
  '/api/lti/jwks': jwks.GET,
});
afterAll(close);

/** A deep linking request from an instructor, changed by `claims`. */
function deepLinkingRequest(
  settings: Record<string, unknown> = {},
  claims: Record<string, unknown> = {},
) {
  platform.tweaks = {
    omit: [`${LTI}resource_link`],
    claims: {
      [`${LTI}message_type`]: 'LtiDeepLinkingRequest',
      [`${LTI}roles`]: [INSTRUCTOR],
      [`${DL}deep_linking_settings`]: {
        deep_link_return_url: `${platform.issuer}/deep-link-return`,
        accept_types: ['ltiResourceLink'],
        accept_multiple: true,
        data: 'opaque-7',
        ...settings,
      },
      ...claims,
    },
  };
}

/** Posts the picker's form with `lessons` chosen. */
async function choose(browser: TestBrowser, picker: string, lessons: string[]) {
  const pending = /name="pending" value="([^"]+)"/.exec(picker)![1]!;
  const body = new URLSearchParams({ pending });
  for (const lesson of lessons) body.append('lesson', lesson);
  return browser.postForm(`${tool.origin}/api/lti/deep-link`, body);
}

beforeEach(() => {
  platform.tweaks = {};
});

describe('Deep Linking', () => {
  it('lets an instructor pick lessons and answers the platform with signed resource links', async () => {
    const lessons = await listLessons();
    const [first, second] = lessons;
    deepLinkingRequest();
    const browser = new TestBrowser();
    const { response } = await launchInBrowser(browser, tool, platform, {
      login_hint: 'teacher-1',
    });
    expect(response.status).toBe(200);
    const picker = await response.text();
    expect(picker).toContain('<html lang="en">');
    expect(picker).toContain('<legend>Add Handshake lessons</legend>');
    expect(picker.match(/<label><input type="checkbox" name="lesson"/g)).toHaveLength(
      lessons.length,
    );
    expect(picker).toContain(`value="${first!.id}"> ${first!.text.en!.title}</label>`);
    const answer = await choose(browser, picker, [first!.id, second!.id]);
    const form = readLaunchForm(await answer.text());
    expect(form.action).toBe(`${platform.issuer}/deep-link-return`);
    await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) });
    expect(platform.services.deepLinkRefusals).toEqual([]);
    const received = platform.services.deepLinks.at(-1)!;
    expect(received).toMatchObject({
      [`${LTI}message_type`]: 'LtiDeepLinkingResponse',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: platform.deploymentId,
      [`${DL}data`]: 'opaque-7',
    });
    expect(received[`${DL}content_items`]).toEqual(
      [first!, second!].map((lesson) => ({
        type: 'ltiResourceLink',
        title: lesson.text.en!.title,
        url: `${tool.origin}/en/lessons/${lesson.slug}`,
        custom: { lesson_id: lesson.id },
        lineItem: {
          scoreMaximum: 1,
          label: lesson.text.en!.title,
          resourceId: lesson.id,
          tag: 'handshake',
        },
      })),
    );
  });

  it('offers one choice when the platform takes one item, in Chinese for a Chinese LMS', async () => {
    deepLinkingRequest(
      { accept_multiple: false },
      { [`${LTI}launch_presentation`]: { locale: 'zh-CN' } },
    );
    const { response } = await launchInBrowser(new TestBrowser(), tool, platform, {
      login_hint: 'teacher-1',
    });
    const picker = await response.text();
    expect(picker).toContain('<html lang="zh-CN">');
    expect(picker).toContain('添加 Handshake 课程');
    expect(picker).toContain('type="radio"');
    const ids = (await listLessons()).map((l) => l.id);
    const answer = await choose(new TestBrowser(), picker, ids.slice(0, 3));
    const form = readLaunchForm(await answer.text());
    await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) });
    expect(platform.services.deepLinks.at(-1)![`${DL}content_items`]).toHaveLength(1);
  });

  it('asks again when nothing was chosen, and refuses a forged pending request', async () => {
    deepLinkingRequest();
    const { response } = await launchInBrowser(new TestBrowser(), tool, platform, {
      login_hint: 'teacher-1',
    });
    const picker = await response.text();
    const none = await choose(new TestBrowser(), picker, []);
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('<p role="alert">Choose at least one lesson.</p>');
    const forged = picker.replace(
      /name="pending" value="([^"]+)"/,
      (_m, token: string) => `name="pending" value="${token.slice(0, -4)}AAAA"`,
    );
    const refused = await choose(new TestBrowser(), forged, ['tcp-client']);
    expect(await refused.json()).toMatchObject({ error: 'state-unknown' });
  });

  it('refuses a deep linking request from a learner', async () => {
    deepLinkingRequest(
      {},
      { [`${LTI}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] },
    );
    const { response } = await launchInBrowser(new TestBrowser(), tool, platform);
    expect(await response.json()).toMatchObject({ error: 'role-unsupported' });
  });
});
