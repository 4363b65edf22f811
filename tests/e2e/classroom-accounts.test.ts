/**
 * Accounts and joining in Chromium: the first instructor signs up on the first-run page, creates
 * a class, sees its join code; a learner in another browser context opens the join link, types a
 * nickname with the keyboard alone and lands on the lessons with a learner cookie (httpOnly,
 * SameSite=Lax); a wrong code says only "no such class". Every page on the way is checked by
 * axe-core (WCAG 2.1 AA, light and dark) in English and Chinese; anonymous lessons still work.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uiText } from '../../app/_i18n/ui-text.ts';
import { axeViolations } from './support/axe.ts';
import { launchBrowser, openPage } from './support/browser.ts';

const appUrl = inject('appUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** axe in light and then dark; every violation on its own line. */
async function expectAccessible(page: Page, where: string): Promise<void> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    found.push(...(await axeViolations(page, `${scheme} ${where}`)));
  }
  expect(found, found.join('\n')).toEqual([]);
}

/** Tabs until `selector` has focus (at most 20 presses); fails if it never does. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    if (await page.locator(selector).evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('instructor accounts, classes and joining', () => {
  it('first run → class → a learner joins by link with the keyboard, all pages accessible', async () => {
    const en = uiText('en');
    const zh = uiText('zh');
    const teacher = await openPage(browser);
    const { page } = teacher;

    await page.goto(`${appUrl}/en/teach`);
    await expect.poll(() => page.locator('h1').textContent()).toBe(en.teach.firstRunTitle);
    await expectAccessible(page, '/en/teach first run');
    await page.fill('#sign-up-name', 'Ada Lovelace');
    await page.fill('#sign-up-email', 'ada@example.org');
    await page.fill('#sign-up-password', 'analytical engine');
    await page.click('button[type=submit]:has-text("' + en.teach.signUp + '")');
    await page.waitForURL(/\/en\/teach\/classes$/);
    await expectAccessible(page, '/en/teach/classes (empty)');

    await page.fill('#new-class-name', 'Networks <b>101</b>');
    await page.click(`button:has-text("${en.teach.create}")`);
    await page.waitForURL(/\/en\/teach\/classes\/[\w-]+\?saved=created$/);
    expect(await page.locator('h1').textContent()).toBe('Networks <b>101</b>'); // escaped
    await expect
      .poll(() => page.locator('main [role=status]').textContent())
      .toBe(en.teach.saved.created);
    await expectAccessible(page, '/en/teach/classes/[id]');
    const code = (await page
      .locator('p', { hasText: /^[0-9A-Z]{4}-[0-9A-Z]{4}$/ })
      .first()
      .textContent())!;
    const classUrl = page.url().split('?')[0]!;
    await page.goto(classUrl.replace('/en/', '/zh/'));
    await expectAccessible(page, '/zh/teach/classes/[id]');

    const learner = await openPage(browser, { locale: 'zh-CN' });
    await learner.page.goto(`${appUrl}/zh/join/${code}`);
    await expectAccessible(learner.page, '/zh/join/[code]');
    expect(await learner.page.inputValue('#join-code')).toBe(code);
    await tabTo(learner.page, '#join-nickname');
    await learner.page.keyboard.type('小明 <script>');
    await learner.page.keyboard.press('Enter');
    await learner.page.waitForURL(new RegExp(`${appUrl}/zh$`));
    const [cookie] = (await learner.context.cookies()).filter(
      (c) => c.name === 'handshake_learner',
    );
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await learner.page.goto(`${appUrl}/zh/join`);
    await expect
      .poll(() => learner.page.locator('main p').first().textContent())
      .toBe(zh.join.joined('小明 <script>', 'Networks <b>101</b>'));
    await expectAccessible(learner.page, '/zh/join (joined)');

    const stranger = await openPage(browser);
    await stranger.page.goto(`${appUrl}/en/join`);
    await stranger.page.fill('#join-code', 'ZZZZ-ZZZZ');
    await stranger.page.fill('#join-nickname', 'eve');
    await stranger.page.click(`button:has-text("${en.join.submit}")`);
    await expect
      .poll(() => stranger.page.locator('main [role=alert]').textContent())
      .toBe(en.join.errors.nomatch);
    await expectAccessible(stranger.page, '/en/join (error)');

    await page.goto(`${appUrl}/en/teach/classes`);
    await page.click(`button:has-text("${en.teach.signOut}")`);
    await page.waitForURL(/\/en\/teach$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe(en.teach.signInTitle);
    await expectAccessible(page, '/en/teach sign-in');

    // The learner's lessons are unchanged; anonymous visitors see them too.
    const response = await stranger.page.goto(`${appUrl}/en`);
    expect(response?.status()).toBe(200);
    for (const recorded of [teacher, learner, stranger]) {
      expect(recorded.errors).toEqual([]);
      expect(recorded.external).toEqual([]);
      await recorded.context.close();
    }
  });

  it('teach pages send a signed-out visitor to sign in, and hide other classes', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${appUrl}/en/teach/classes`);
    await page.waitForURL(/\/en\/teach$/);
    const response = await page.goto(`${appUrl}/en/teach/classes/not-a-class`);
    expect(page.url()).toMatch(/\/en\/teach$/);
    expect(response?.status()).toBe(200);
    await context.close();
  });
});
