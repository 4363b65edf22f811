/**
 * The LTI pages the app answers with itself (inside the LMS's frame, before any React page):
 * a refused launch (served by the running app), "open in a new window", the Deep Linking lesson
 * picker and the platform-storage "signing in" page — axe (WCAG 2.1 AA) in light and dark,
 * English and Chinese, and the picker worked by keyboard.
 */
import { generateKeyPair } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Lang } from '../../lib/protocol.ts';
import { deepLinkPicker } from '../../lib/server/lti/deep-linking.ts';
import type { LtiLaunch } from '../../lib/server/lti/launch.ts';
import { newWindowPage, refusalPage } from '../../lib/server/lti/pages.ts';
import { storageLoginPage } from '../../lib/server/lti/storage.ts';
import { expectAccessible } from './support/axe.ts';
import { launchBrowser, openPage } from './support/browser.ts';

const appUrl = inject('appUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function show(response: Response): Promise<Page> {
  const { page } = await openPage(browser);
  await page.setContent(await response.text());
  return page;
}

async function picker(lang: Lang): Promise<Response> {
  const { privateKey } = await generateKeyPair('RS256');
  const launch = {
    role: 'instructor',
    locale: lang === 'zh' ? 'zh-CN' : 'en-US',
    registration: { issuer: 'https://lms.example', clientId: 'c1' },
    deploymentId: 'd1',
    custom: {},
    deepLinking: {
      accept_types: ['ltiResourceLink'],
      deep_link_return_url: 'https://lms.example/return',
      accept_multiple: true,
    },
  } as unknown as LtiLaunch;
  return deepLinkPicker(launch, {
    toolKey: async () => ({ kid: 'k1', privateKey }) as never,
    lessons: async () => [
      { id: 'tcp-client', slug: 'tcp-client', titles: { en: 'A TCP client', zh: 'TCP 客户端' } },
      { id: 'udp-basics', slug: 'udp-basics', titles: { en: 'UDP basics', zh: 'UDP 基础' } },
    ],
    toolOrigin: 'https://handshake.example',
  });
}

describe('LTI pages', () => {
  it('a refused launch, from the running app, says why in the page language', async () => {
    const { page } = await openPage(browser);
    const response = await page.request.post(`${appUrl}/api/lti/launch`, {
      headers: { accept: 'text/html' },
      form: { id_token: 'not-a-token', state: 'nope' },
    });
    expect(response.status()).toBeGreaterThanOrEqual(400);
    await page.setContent(await response.text());
    await expect.poll(() => page.locator('[role=alert]').count()).toBe(1);
    await expectAccessible(page, 'LTI refusal from the app');
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`has no WCAG 2.1 AA violation (${lang})`, async () => {
      const pages: Array<[string, Response]> = [
        ['refusal', refusalPage('state-not-bound', 'state cookie missing', lang, 400)],
        ['new window', newWindowPage('https://handshake.example/api/lti/enter?x=1', lang)],
        ['picker', await picker(lang)],
        [
          'platform storage',
          storageLoginPage({
            target: '_parent',
            platformOrigin: 'https://lms.example',
            key: 'k',
            binding: 'b',
            next: 'https://lms.example/auth',
            lang,
            setCookie: 'x=1',
          }),
        ],
      ];
      for (const [name, response] of pages) {
        const page = await show(response);
        expect(await page.locator('html').getAttribute('lang')).toBe(
          lang === 'zh' ? 'zh-CN' : 'en',
        );
        await expectAccessible(page, `LTI ${name} (${lang})`);
        await page.context().close();
      }
    });
  }

  it('the picker is worked by keyboard: tab to a lesson, tick it, tab to the button', async () => {
    const page = await show(await picker('en'));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.locator('input[value="tcp-client"]').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
    await page.context().close();
  });
});
