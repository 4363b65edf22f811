/**
 * The issue's "done means" in Chromium against the real sandbox: an instructor (the first-run
 * account, or the accounts test's when that ran first) creates a class and opens its live
 * dashboard; two learners join in their own browser contexts and run the tcp-client lesson, one
 * fails and one passes; their runs go through the sandbox front to the app's internal endpoint,
 * and the dashboard shows both without a reload. The CSV holds one row per learner × lesson; the
 * grid is a real table walked with the keyboard; a cell's detail shows the learner's code, output,
 * checks and attempts and opens the solution diff. axe (WCAG 2.1 AA) on the dashboard and the
 * detail in light and dark, English and Chinese.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uiText } from '../../app/_i18n/ui-text.ts';
import { expectAccessible } from './support/axe.ts';
import { launchBrowser, openPage } from './support/browser.ts';
import { signInInstructor } from './support/instructor.ts';
import { LessonPage } from './support/lesson-page.ts';

const appUrl = inject('appUrl');
const needsRealSandbox = inject('sandboxKind') !== 'real';
const en = uiText('en');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const solution = readFileSync(
  path.join(inject('contentDir'), '02-tcp-client', 'solution', 'client.py'),
  'utf8',
);

/** A learner in a browser context of their own, joined by link. */
async function joinAs(code: string, nickname: string) {
  const learner = await openPage(browser);
  await learner.page.goto(`${appUrl}/en/join/${code}`);
  await learner.page.fill('#join-nickname', nickname);
  await learner.page.click(`button:has-text("${en.join.submit}")`);
  await learner.page.waitForURL(new RegExp(`${appUrl}/en$`));
  return learner;
}

/** A nickname and a code comment that would run script if the dashboard did not escape them. */
const KIM = 'Kim <img src=x onerror=window.__xss=1>';
const HOSTILE_COMMENT = '# </pre><img src=x onerror=window.__xss=2>\n';
const scriptRan = (page: Page) => page.evaluate(() => '__xss' in window);

const cellOf = (page: Page, nickname: string, lessonId: string) =>
  page.locator(`tr[data-learner="${nickname}"] td[data-lesson="${lessonId}"]`);

describe('the live class dashboard', () => {
  it.skipIf(needsRealSandbox)(
    'shows two learners’ runs live, exports them as CSV, and opens a cell',
    async () => {
      const teacher = await openPage(browser);
      const { page } = teacher;
      await signInInstructor(page, appUrl);
      await page.fill('#new-class-name', 'Dashboard =1+1');
      await page.click(`button:has-text("${en.teach.create}")`);
      await page.waitForURL(/\/en\/teach\/classes\/[\w-]+\?saved=created$/);
      const classUrl = page.url().split('?')[0]!;
      const code = (await page
        .locator('p', { hasText: /^[0-9A-Z]{4}-[0-9A-Z]{4}$/ })
        .first()
        .textContent())!;
      await page.click(`a:has-text("${en.dashboard.link}")`);
      await page.waitForURL(`${classUrl}/dashboard`);
      await expect
        .poll(() => page.locator('main [role=status]').textContent())
        .toBe(en.dashboard.live);

      const kim = await joinAs(code, KIM);
      const lee = await joinAs(code, 'Lee');
      // Joined before the dashboard's snapshot? No: they arrive with their first run's delta.
      const kimLesson = new LessonPage(kim.page, appUrl);
      await kimLesson.open('en', 'tcp-client');
      await kimLesson.run();
      const leeLesson = new LessonPage(lee.page, appUrl);
      await leeLesson.open('en', 'tcp-client');
      await leeLesson.setCode(HOSTILE_COMMENT + solution);
      await leeLesson.run();

      await expect
        .poll(() => cellOf(page, KIM, 'tcp-client').getAttribute('data-status'), {
          timeout: 45_000,
        })
        .toBe('started');
      await expect
        .poll(() => cellOf(page, 'Lee', 'tcp-client').getAttribute('data-status'), {
          timeout: 45_000,
        })
        .toBe('passed');
      expect(await cellOf(page, KIM, 'sockets-addresses').getAttribute('data-status')).toBe('none');

      // The CSV: a header, then every learner × every lesson of the class.
      const csv = await page.request.get(
        `${appUrl}/api/teach/classes/${classUrl.split('/').pop()}/progress.csv`,
      );
      expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers()['content-disposition']).toContain(
        'filename="Dashboard-1-1-progress.csv"',
      );
      const lines = (await csv.text())
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      const lessonCount = (await page.locator('thead th').count()) - 2;
      expect(lines).toHaveLength(1 + 2 * lessonCount);
      expect(lines.find((l) => l.startsWith(`"${KIM}","tcp-client"`))).toMatch(
        /^"Kim <img src=x onerror=window.__xss=1>","tcp-client","A TCP client","started","1","1","","\d{4}-[^"]+"$/,
      );
      expect(lines.find((l) => l.startsWith('"Lee","tcp-client"'))).toMatch(
        /^"Lee","tcp-client","A TCP client","passed","1","0","\d{4}-[^"]+","\d{4}-[^"]+"$/,
      );

      await expectAccessible(page, '/en dashboard');
      // The grid is a table with headers; arrow keys move between its cells, Enter opens one.
      expect(await page.locator('table thead th[scope=col]').first().textContent()).toBe(
        en.dashboard.learner,
      );
      // Everything a learner typed is text: the nickname shows as typed, and no script ran.
      expect(await page.locator('table tbody th[scope=row]').allTextContents()).toEqual([
        KIM,
        'Lee',
      ]);
      expect(await scriptRan(page)).toBe(false);
      const column = await page.locator('thead th').allTextContents();
      await page.locator('[data-cell="0,0"]').focus();
      for (let i = 2; i < column.indexOf('A TCP client'); i++)
        await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowDown');
      expect(await page.evaluate(() => document.activeElement?.closest('td')?.dataset.lesson)).toBe(
        'tcp-client',
      );
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/dashboard\/[\w-]+\/tcp-client$/);
      await expect
        .poll(() => page.locator('h1').textContent())
        .toBe(en.dashboard.detail.title('Lee', 'A TCP client'));
      expect(await page.locator('[data-outcome]').getAttribute('data-outcome')).toBe('passed');
      expect(await page.locator('li[data-check]').count()).toBeGreaterThan(0);
      const shownCode = await page.locator('main pre[aria-label="client.py"]').textContent();
      expect(shownCode).toContain('socket');
      expect(shownCode).toContain(HOSTILE_COMMENT.trim());
      expect(await scriptRan(page)).toBe(false);
      await expectAccessible(page, '/en cell detail');
      await page.click(`button:has-text("${en.dashboard.detail.compare}")`);
      await page.getByTestId('solution-diff').waitFor();

      const detailUrl = page.url();
      await page.goto(detailUrl.replace('/en/', '/zh/'));
      await expectAccessible(page, '/zh cell detail');
      await page.goto(`${classUrl.replace('/en/', '/zh/')}/dashboard`);
      await cellOf(page, 'Lee', 'tcp-client').waitFor();
      await expectAccessible(page, '/zh dashboard');

      // The learners' lesson lists say where they are, from the server.
      await lee.page.goto(`${appUrl}/en`);
      await expect
        .poll(() => lee.page.locator('a[href="/en/lessons/tcp-client"] [data-state]').textContent())
        .toBe(en.progress.done);
      await kim.page.goto(`${appUrl}/en`);
      await expect
        .poll(() =>
          kim.page
            .locator('a[href="/en/lessons/tcp-client"] [data-state]')
            .getAttribute('data-state'),
        )
        .toBe('started');
      expect(await kim.page.locator('#continue-heading').textContent()).toBe(
        en.progress.continueTitle,
      );

      for (const recorded of [teacher, kim, lee]) {
        expect(recorded.errors).toEqual([]);
        await recorded.context.close();
      }
    },
    180_000,
  );
});
