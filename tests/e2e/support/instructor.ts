/**
 * The e2e instructor: the first-run account (made by whichever classroom test meets the first-run
 * page), signed in through the real forms.
 */
import type { Page } from 'playwright-core';
import { uiText } from '../../../app/_i18n/ui-text.ts';

const en = uiText('en');

/** Signs in the first instructor at `appUrl` (creating them on a fresh server). */
export async function signInInstructor(page: Page, appUrl: string): Promise<void> {
  await page.goto(`${appUrl}/en/teach`);
  const title = await page.locator('h1').textContent();
  if (title === en.teach.firstRunTitle) {
    await page.fill('#sign-up-name', 'Ada Lovelace');
    await page.fill('#sign-up-email', 'ada@example.org');
    await page.fill('#sign-up-password', 'analytical engine');
    await page.click(`button[type=submit]:has-text("${en.teach.signUp}")`);
  } else {
    await page.fill('#sign-in-email', 'ada@example.org');
    await page.fill('#sign-in-password', 'analytical engine');
    await page.click(`button[type=submit]:has-text("${en.teach.signIn}")`);
  }
  await page.waitForURL(/\/en\/teach\/classes$/);
}
