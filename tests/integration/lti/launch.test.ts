/**
 * LTI 1.3 login and launch end to end over real HTTP: the tool's routes on one 127.0.0.1
 * server, a mock platform on another, the test as the browser in between. Every refusal the
 * spec asks for is tried: forged, expired and replayed id_tokens, wrong iss / aud / azp / nonce
 * / state, an unregistered deployment, a wrong message type or version.
 */
import { generateKeyPair } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { LtiLaunch } from '../../../lib/server/lti/launch.ts';
import { startLtiHandlerWorld } from './world.ts';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

const { platform, tool, faults, close } = await startLtiHandlerWorld({
  // The launches here stop at onLaunch: nothing signs in (sign-in.test.ts does).
  onLaunch: async (launch: LtiLaunch) =>
    Response.json({ subject: launch.subject, role: launch.role, context: launch.context }),
});
afterAll(close);
const toolOrigin = tool.origin;

/** What the browser holds after the login: the platform's form fields and the tool's cookie. */
interface Posted {
  idToken: string;
  state: string;
  cookie: string;
}

/** The browser's side of a login: initiation at the tool, then the platform's auth endpoint. */
async function login(params: Record<string, string> = {}): Promise<Posted> {
  const query = new URLSearchParams({
    iss: platform.issuer,
    client_id: platform.clientId,
    login_hint: 'learner-7',
    target_link_uri: `${toolOrigin}/lessons`,
    lti_deployment_id: platform.deploymentId,
    ...params,
  });
  const started = await fetch(`${toolOrigin}/api/lti/login?${query}`, { redirect: 'manual' });
  expect(started.status).toBe(302);
  const cookie = started.headers.getSetCookie()[0]!.split(';')[0]!;
  const page = await (await fetch(started.headers.get('location')!)).text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];
  expect(page).toContain(`action="${toolOrigin}/api/lti/launch"`);
  return { idToken: field('id_token')!, state: field('state')!, cookie };
}

/** Posts a launch form as the browser does, with the cookie unless told otherwise. */
async function launch(posted: Posted, cookie = posted.cookie): Promise<Response> {
  return fetch(`${toolOrigin}/api/lti/launch`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ id_token: posted.idToken, state: posted.state }),
  });
}

/** Logs in, launches and expects the refusal `code`. */
async function expectRefused(code: string, posted?: Posted): Promise<void> {
  const response = await launch(posted ?? (await login()));
  expect(await response.json()).toMatchObject({ error: code });
  expect(response.status).toBe(400);
}

beforeEach(() => {
  platform.tweaks = {};
  expect(faults).toEqual([]);
});

describe('LTI 1.3 launch against a mock platform', () => {
  it('accepts a valid launch and tells who launched from which course', async () => {
    const response = await launch(await login());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      subject: 'learner-7',
      role: 'learner',
      context: { id: 'course-42', title: 'Networks 101' },
    });
    expect(response.headers.getSetCookie().join()).toMatch(/lti_state_[^=]+=; .*Max-Age=0/);
  });

  it('serves the public key that login redirects are signed for', async () => {
    const jwks = (await (await fetch(`${toolOrigin}/api/lti/jwks`)).json()) as {
      keys: { kty: string; d?: string; kid: string }[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]!.d).toBeUndefined();
  });

  it('sends the OIDC authorization request a platform expects', async () => {
    const query = new URLSearchParams({
      iss: platform.issuer,
      login_hint: 'learner-7',
      target_link_uri: `${toolOrigin}/lessons`,
      lti_message_hint: 'hint-9',
    });
    const response = await fetch(`${toolOrigin}/api/lti/login?${query}`, { redirect: 'manual' });
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(platform.authLoginUrl);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: platform.clientId,
      redirect_uri: `${toolOrigin}/api/lti/launch`,
      login_hint: 'learner-7',
      lti_message_hint: 'hint-9',
    });
    const cookie = response.headers.getSetCookie()[0]!;
    expect(cookie).toContain(`lti_state_${location.searchParams.get('state')}=`);
    expect(cookie).toMatch(/HttpOnly; Secure; SameSite=None/);
  });

  it('refuses logins from unknown platforms and targets outside the tool', async () => {
    const unknown = await fetch(
      `${toolOrigin}/api/lti/login?iss=https://evil.example&login_hint=x&target_link_uri=${toolOrigin}/`,
      { redirect: 'manual' },
    );
    expect(await unknown.json()).toMatchObject({ error: 'registration-unknown' });
    const elsewhere = await fetch(
      `${toolOrigin}/api/lti/login?${new URLSearchParams({ iss: platform.issuer, login_hint: 'x', target_link_uri: 'https://evil.example/' })}`,
      { redirect: 'manual' },
    );
    expect(await elsewhere.json()).toMatchObject({ error: 'target-not-tool' });
    const incomplete = await fetch(`${toolOrigin}/api/lti/login?iss=${platform.issuer}`);
    expect(await incomplete.json()).toMatchObject({ error: 'login-incomplete' });
  });

  it('refuses a replayed launch: the state and its nonce serve once', async () => {
    const posted = await login();
    expect((await launch(posted)).status).toBe(200);
    await expectRefused('state-unknown', posted);
  });

  it("refuses a launch whose state this browser did not start, or no tool's state at all", async () => {
    const posted = await login();
    const response = await launch(posted, 'lti_state_other=1');
    expect(await response.json()).toMatchObject({ error: 'state-not-bound' });
    const forged = { ...posted, state: 'made-up', cookie: 'lti_state_made-up=1' };
    await expectRefused('state-unknown', forged);
    const missing = await launch({ ...posted, idToken: '' });
    expect(await missing.json()).toMatchObject({ error: 'launch-incomplete' });
  });

  it("refuses an id_token of another login (the nonce is not this state's)", async () => {
    const first = await login();
    const second = await login();
    await expectRefused('nonce-mismatch', { ...second, idToken: first.idToken });
  });

  it('refuses a forged id_token: signed by another key, under the known kid or another', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    platform.tweaks = { signWith: privateKey };
    await expectRefused('bad-signature');
    platform.tweaks = { signWith: privateKey, kid: 'attacker-key' };
    await expectRefused('bad-signature');
  });

  it('refuses a tampered id_token', async () => {
    const posted = await login();
    const [header, payload, signature] = posted.idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    claims.sub = 'someone-else';
    const tampered = Buffer.from(JSON.stringify(claims)).toString('base64url');
    await expectRefused('bad-signature', {
      ...posted,
      idToken: `${header}.${tampered}.${signature}`,
    });
    await expectRefused('token-malformed', { ...(await login()), idToken: 'not.a.jwt' });
  });

  it('refuses expired and future id_tokens', async () => {
    platform.tweaks = { shiftSeconds: -400 };
    await expectRefused('token-expired');
    platform.tweaks = { shiftSeconds: 600 };
    await expectRefused('token-not-yet-valid');
  });

  it('refuses a wrong issuer, audience or authorized party', async () => {
    platform.tweaks = { claims: { iss: 'https://other-lms.example' } };
    await expectRefused('wrong-issuer');
    platform.tweaks = { claims: { aud: 'another-tool' } };
    await expectRefused('wrong-audience');
    platform.tweaks = { claims: { aud: [platform.clientId, 'another-tool'] } };
    await expectRefused('wrong-azp');
    platform.tweaks = { claims: { aud: [platform.clientId, 'x'], azp: 'another-tool' } };
    await expectRefused('wrong-azp');
    platform.tweaks = { claims: { aud: [platform.clientId, 'x'], azp: platform.clientId } };
    expect((await launch(await login())).status).toBe(200);
  });

  it('refuses an unregistered deployment, message type or version, and missing claims', async () => {
    platform.tweaks = { claims: { [`${LTI}deployment_id`]: 'deployment-2' } };
    await expectRefused('deployment-unknown');
    platform.tweaks = { claims: { [`${LTI}message_type`]: 'LtiSubmissionReviewRequest' } };
    await expectRefused('wrong-message-type');
    platform.tweaks = { claims: { [`${LTI}version`]: '1.1' } };
    await expectRefused('wrong-version');
    platform.tweaks = { omit: [`${LTI}roles`] };
    await expectRefused('claims-invalid');
    platform.tweaks = { omit: [`${LTI}resource_link`] };
    await expectRefused('claims-invalid');
  });

  it('signs an instructor in as staff', async () => {
    platform.tweaks = {
      claims: {
        [`${LTI}roles`]: [
          'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant',
        ],
      },
    };
    const response = await launch(await login());
    expect(await response.json()).toMatchObject({ role: 'instructor' });
  });
});
