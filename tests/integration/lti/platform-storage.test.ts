/**
 * Inside an LMS frame that blocks third-party cookies: the state is kept in the platform's
 * storage (1EdTech postMessage `lti.put_data` / `lti.get_data`). The pages' scripts run here in
 * a VM against a fake parent window that plays the platform's storage frame; everything else is
 * real HTTP between the tool, the mock platform and the test's browser.
 */
import { runInNewContext } from 'node:vm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { authorize, TestBrowser } from './tool-server.ts';
import { startLtiHandlerWorld } from './world.ts';

const { platform, tool, faults, close } = await startLtiHandlerWorld();
afterAll(close);

beforeEach(() => expect(faults).toEqual([]));

/** What a page's script did: where it navigated, whether it submitted, what it said. */
interface PageRun {
  location?: string;
  submitted: boolean;
  binding: string;
  status: string;
  role?: string;
  posted: Array<{ message: Record<string, unknown>; targetOrigin: string }>;
}

/**
 * Runs a page's script with a parent window whose frame `post_message_forwarding` is the
 * platform's storage (`storage`), answering from the platform's origin after a message from
 * an impostor origin that the script must ignore.
 */
async function runPage(html: string, storage: Map<string, string>): Promise<PageRun> {
  const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
  const run: PageRun = { submitted: false, binding: '', status: '', posted: [] };
  const listeners: Array<(event: { origin: string; data: unknown }) => void> = [];
  const dispatch = (origin: string, data: unknown) =>
    setTimeout(() => listeners.forEach((listener) => listener({ origin, data })), 0);
  const storageFrame = {
    postMessage(message: Record<string, unknown>, targetOrigin: string) {
      run.posted.push({ message, targetOrigin });
      const { subject, message_id, key } = message as {
        subject: string;
        message_id: string;
        key: string;
      };
      if (subject === 'lti.put_data') storage.set(key, message.value as string);
      const value = subject === 'lti.put_data' ? message.value : storage.get(key);
      dispatch('https://impostor.example', {
        subject: `${subject}.response`,
        message_id,
        key,
        value: 'forged',
      });
      dispatch(platform.issuer, { subject: `${subject}.response`, message_id, key, value });
    },
  };
  const elements: Record<string, unknown> = {
    'lti-status': {
      set textContent(text: string) {
        run.status = text;
      },
      setAttribute: (_name: string, value: string) => (run.role = value),
    },
    'lti-binding': {
      set value(text: string) {
        run.binding = text;
      },
    },
    'lti-launch': { submit: () => (run.submitted = true) },
  };
  const window = {
    parent: { frames: { post_message_forwarding: storageFrame } },
    addEventListener: (_type: string, listener: (typeof listeners)[number]) =>
      listeners.push(listener),
    location: { replace: (url: string) => (run.location = url) },
  };
  runInNewContext(script, {
    window,
    document: { getElementById: (id: string) => elements[id] },
    setTimeout,
    Math,
  });
  await expect
    .poll(() => run.location ?? (run.submitted || run.status !== '' || undefined))
    .toBeTruthy();
  return run;
}

/** The login initiation of a framed launch, with the platform's storage offered. */
function loginUrl(loginHint = 'learner-7'): string {
  return `${tool.origin}/api/lti/login?${new URLSearchParams({
    iss: platform.issuer,
    client_id: platform.clientId,
    login_hint: loginHint,
    target_link_uri: `${tool.origin}/en`,
    lti_storage_target: 'post_message_forwarding',
  })}`;
}

/** A browser in a frame that blocks every cookie of the tool. */
function framedBrowser(): TestBrowser {
  const browser = new TestBrowser();
  browser.acceptCookie = () => false;
  return browser;
}

/** Login (its page's script run against `storage`) and the platform's form post, to the launch. */
async function launchPage(browser: TestBrowser, storage: Map<string, string>) {
  const login = await browser.fetch(loginUrl());
  expect(login.status).toBe(200);
  const loginRun = await runPage(await login.text(), storage);
  const form = await authorize(loginRun.location!);
  const launch = await browser.postForm(form.action, form.fields);
  return { loginRun, form, launch };
}

describe('the state kept in the platform storage', () => {
  it('stores a secret at login, reads it back at launch and signs in without any cookie', async () => {
    const storage = new Map<string, string>();
    const browser = framedBrowser();
    const { loginRun, form, launch } = await launchPage(browser, storage);
    const state = form.fields.state!;
    expect(loginRun.posted[0]).toMatchObject({
      targetOrigin: platform.issuer,
      message: { subject: 'lti.put_data', key: `lti_state_${state}` },
    });
    expect(loginRun.location!.startsWith(platform.authLoginUrl)).toBe(true);
    expect(launch.status).toBe(200);
    const launchRun = await runPage(await launch.text(), storage);
    expect(launchRun.posted[0]).toMatchObject({
      message: { subject: 'lti.get_data', key: `lti_state_${state}` },
    });
    expect(launchRun.submitted).toBe(true);
    expect(launchRun.binding).toBe(storage.get(`lti_state_${state}`));
    const fields = { ...form.fields, lti_storage_binding: launchRun.binding };
    const signedIn = await browser.postForm(form.action, fields);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toMatch(/^\/api\/lti\/enter\?handoff=/);
    // No cookie sticks in this frame, so the sign-in offers a new window.
    const landed = await browser.follow(
      new URL(signedIn.headers.get('location')!, tool.origin).href,
    );
    expect(await landed.response.text()).toContain('Open in a new window');
    // Used once: the same secret again is refused.
    const replay = await browser.postForm(form.action, fields);
    expect(await replay.json()).toMatchObject({ error: 'state-not-bound' });
  });

  it('refuses a launch with another secret than the one stored', async () => {
    const storage = new Map<string, string>();
    const browser = framedBrowser();
    const { form } = await launchPage(browser, storage);
    const forged = { ...form.fields, lti_storage_binding: 'guessed' };
    expect(await (await browser.postForm(form.action, forged)).json()).toMatchObject({
      error: 'state-not-bound',
    });
  });

  it('says why it cannot go on when the storage holds no secret', async () => {
    const browser = framedBrowser();
    const { launch } = await launchPage(browser, new Map());
    const page = await launch.text();
    expect(page).toContain('<noscript><p role="alert">');
    const run = await runPage(page, new Map());
    expect(run.submitted).toBe(false);
    expect(run.role).toBe('alert');
    expect(run.status).toContain("did not keep this sign-in's state");
  });

  it('still prefers the state cookie when the browser keeps it', async () => {
    const browser = new TestBrowser();
    const { launch } = await launchPage(browser, new Map());
    expect(launch.status).toBe(303);
  });
});
