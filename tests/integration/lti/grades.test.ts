/**
 * End to end over real HTTP on 127.0.0.1, through the app's own route modules (app/api/lti/*,
 * app/api/internal/runs): a learner launches from the mock platform and is signed in, the
 * sandbox front records a passed run on the internal route, and the score reaches the mock's
 * AGS endpoint on the lesson's line item (found or made, resourceId = lesson id), with a service
 * token from a client assertion the platform checked against the tool's JWKS. A platform that
 * is down gets the score later; recording the run never waits for it.
 */
import { generateKeyPair } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  findLtiContext,
  learnerBySessionToken,
  queuedLtiScores,
} from '../../../lib/server/db/index.ts';
import { appGradeSender } from '../../../lib/server/lti/app-context.ts';
import { appSecrets, setRunRecording } from '../../../lib/server/results/app-context.ts';
import { INTERNAL_SECRET_HEADER, type RecordedRun } from '../../../lib/server/results/schema.ts';
import * as enter from '../../../app/api/lti/enter/route.ts';
import * as jwks from '../../../app/api/lti/jwks/route.ts';
import * as landed from '../../../app/api/lti/landed/route.ts';
import * as launch from '../../../app/api/lti/launch/route.ts';
import * as login from '../../../app/api/lti/login/route.ts';
import * as runs from '../../../app/api/internal/runs/route.ts';
import type { TokenTweaks } from './mock-platform.ts';
import { authorize, launchInBrowser, TestBrowser } from './tool-server.ts';
import { startLtiWorld } from './world.ts';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const LESSON = { id: 'tcp-client', slug: 'tcp-client', title: 'A TCP client' };

let runCount = 0;

setRunRecording({});
// No HANDSHAKE_SECRET: the internal route's secret is made in the world's data dir.
const { context, platform, registration, tool, close } = await startLtiWorld(
  {
    '/api/lti/login': login.GET,
    '/api/lti/launch': launch.POST,
    '/api/lti/enter': enter.GET,
    '/api/lti/landed': landed.GET,
    '/api/lti/jwks': jwks.GET,
    '/api/internal/runs': runs.POST,
  },
  { HANDSHAKE_SECRET: '' },
);

afterAll(async () => {
  appGradeSender().stop();
  await appGradeSender().idle();
  await close();
  setRunRecording({});
});

beforeEach(() => {
  platform.tweaks = { claims: { [`${LTI}custom`]: { lesson_id: LESSON.id } } };
});

/** A learner launched from the LMS: who they are in the app, by their session cookie. */
async function launchedLearner(loginHint: string) {
  const browser = new TestBrowser();
  const { hops } = await launchInBrowser(browser, tool, platform, { login_hint: loginHint });
  expect(hops.at(-1)).toBe(`/en/lessons/${LESSON.slug}`);
  const token = decodeURIComponent(browser.cookies.get('handshake_learner')!);
  const learner = await learnerBySessionToken(context.db, token);
  return learner!;
}

/** The sandbox front's post of a finished run to the app's internal route. */
async function recordRun(
  learner: { id: string; classId: string },
  outcome: RecordedRun['outcome'],
) {
  runCount++;
  const run: RecordedRun = {
    id: `run-${String(runCount).padStart(3, '0')}-${'x'.repeat(18)}`,
    learnerId: learner.id,
    classId: learner.classId,
    lessonId: LESSON.id,
    startedAt: new Date(Date.now() - 2000).toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: 2000,
    outcome,
    checks: [{ id: 'connects', status: outcome === 'passed' ? 'pass' : 'fail', message: 'ok' }],
    code: [{ name: 'client.py', content: 'print("hi")' }],
    output: { 'client.py': 'hi\n' },
  };
  const response = await fetch(`${tool.origin}/api/internal/runs`, {
    method: 'POST',
    headers: { [INTERNAL_SECRET_HEADER]: appSecrets().internalSecret },
    body: JSON.stringify(run),
  });
  expect(await response.json()).toEqual({ result: 'recorded' });
  return run;
}

const lineItem = () => platform.services.lineItems.find((item) => item.resourceId === LESSON.id);

describe('grades back to the LMS, end to end', () => {
  it("posts a passed run's score to the lesson's line item, made once", async () => {
    const learner = await launchedLearner('learner-7');
    const course = await findLtiContext(context.db, {
      registrationId: registration.id,
      deploymentId: platform.deploymentId,
      contextId: 'course-42',
    });
    expect(course?.classId).toBe(learner.classId);
    const run = await recordRun(learner, 'passed');
    await expect.poll(() => lineItem()?.scores.length).toBe(1);
    expect(lineItem()).toMatchObject({ label: LESSON.title, scoreMaximum: 1, tag: 'handshake' });
    expect(lineItem()!.scores[0]).toEqual({
      userId: 'learner-7',
      scoreGiven: 1,
      scoreMaximum: 1,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: run.finishedAt,
    });
    expect(platform.services.tokenRefusals).toEqual([]);
    const tokens = platform.services.tokensIssued.length;
    // Another learner's pass: the same line item, the cached tokens.
    await recordRun(await launchedLearner('learner-8'), 'passed');
    await expect.poll(() => lineItem()?.scores.length).toBe(2);
    expect(platform.services.lineItems).toHaveLength(1);
    expect(platform.services.tokensIssued).toHaveLength(tokens);
    expect(await queuedLtiScores(context.db, learner.classId)).toEqual([]);
  });

  it('posts nothing for a run that did not pass', async () => {
    const learner = await launchedLearner('learner-9');
    const before = lineItem()?.scores.length ?? 0;
    await recordRun(learner, 'failed');
    await appGradeSender().idle();
    expect(await queuedLtiScores(context.db, learner.classId)).toEqual([]);
    expect(lineItem()?.scores.length ?? 0).toBe(before);
  });

  it('keeps the score queued while the platform is down, and posts it when retried', async () => {
    const learner = await launchedLearner('learner-10');
    const before = lineItem()?.scores.length ?? 0;
    platform.services.failScores = 1;
    await recordRun(learner, 'passed');
    await expect
      .poll(async () => (await queuedLtiScores(context.db, learner.classId))[0]?.attempts)
      .toBe(1);
    const [waiting] = await queuedLtiScores(context.db, learner.classId);
    expect(waiting!.lastError).toMatch(/answered 503/);
    expect(lineItem()!.scores).toHaveLength(before);
    // The retry comes due (as the sender's timer would find it) and goes through.
    await context.db
      .updateTable('lti_grade_queue')
      .set({ next_attempt_at: new Date(0).toISOString() })
      .execute();
    appGradeSender().kick();
    await expect.poll(() => lineItem()!.scores.length).toBe(before + 1);
    expect(lineItem()!.scores.at(-1)).toMatchObject({ userId: 'learner-10', scoreGiven: 1 });
    expect(await queuedLtiScores(context.db, learner.classId)).toEqual([]);
  });
});

describe("refusals through the app's routes", () => {
  /** Logs in and has the platform post its (tweaked) id_token; returns the launch's answer. */
  async function refusedLaunch(browser: TestBrowser) {
    const { response } = await launchInBrowser(browser, tool, platform, {
      login_hint: 'learner-7',
    });
    return response;
  }

  it('shows a browser why a forged id_token was refused, in its language', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    platform.tweaks = { signWith: privateKey };
    const browser = new TestBrowser();
    browser.headers = { accept: 'text/html', 'accept-language': 'zh-CN,zh;q=0.9' };
    const response = await refusedLaunch(browser);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('<h1>Handshake 无法为你登录</h1>');
    expect(page).toContain('<div role="alert"><p>登录令牌不是由这个课程网站签名的，已被拒绝。</p>');
    expect(page).toContain('bad-signature: ');
  });

  it('refuses expired, wrong-audience, wrong-issuer and replayed launches with their codes', async () => {
    const cases: Array<[TokenTweaks, string]> = [
      [{ shiftSeconds: -4000 }, 'token-expired'],
      [{ claims: { aud: 'another-tool' } }, 'wrong-audience'],
      [{ claims: { iss: 'https://other-lms.example' } }, 'wrong-issuer'],
    ];
    for (const [tweaks, code] of cases) {
      platform.tweaks = tweaks;
      const response = await refusedLaunch(new TestBrowser());
      expect([response.status, ((await response.json()) as { error: string }).error]).toEqual([
        400,
        code,
      ]);
    }
    platform.tweaks = {};
    const browser = new TestBrowser();
    const started = await browser.fetch(
      `${tool.origin}/api/lti/login?${new URLSearchParams({ iss: platform.issuer, login_hint: 'learner-7', target_link_uri: `${tool.origin}/en` })}`,
    );
    const form = await authorize(started.headers.get('location')!);
    // The state cookie as it was before the launch used (and cleared) it: a replay carrying it.
    const cookie = browser.cookieHeader();
    const post = () => browser.postForm(form.action, form.fields, { cookie });
    expect((await post()).status).toBe(303);
    expect(await (await post()).json()).toMatchObject({ error: 'state-unknown' });
    const stranger = await new TestBrowser().postForm(form.action, form.fields);
    expect(await stranger.json()).toMatchObject({ error: 'state-not-bound' });
  });
});
