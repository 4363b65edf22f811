/**
 * The asyncio lesson in a real browser against the real sandbox: the learner's solution serves a
 * crowd of 100 clients (one of them stalled) and the Network view's connection timeline shows
 * their lanes interleaved — what a sequential server cannot do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser.ts';
import { LessonPage } from './support/lesson-page.ts';

const appUrl = inject('appUrl');
const needsRealSandbox = inject('sandboxKind') !== 'real';
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const solutionDir = path.join(inject('contentDir'), '14-asyncio-streams', 'solution');

describe('the asyncio lesson', () => {
  it.skipIf(needsRealSandbox)(
    'passes with its solution, and the timeline shows the clients served interleaved',
    async () => {
      const { page, errors } = await openPage(browser);
      const lesson = new LessonPage(page, appUrl);
      await lesson.open('en', 'asyncio-streams');
      for (const name of readdirSync(solutionDir).sort()) {
        await lesson.openFile(name);
        await lesson.setCode(readFileSync(path.join(solutionDir, name), 'utf8'));
      }
      await lesson.run();
      // The run ends within its 10 s wall limit; the rest is margin for a busy machine.
      const results = await lesson.checkResults(40_000);
      expect(results.filter((check) => check.status !== 'pass')).toEqual([]);
      expect(results.length).toBeGreaterThan(0);

      await page.getByRole('tab', { name: /^Network/ }).click();
      await page.getByRole('tab', { name: /^Timeline/ }).click();
      const timeline = page.getByTestId('connection-timeline');
      await timeline.waitFor();
      const peak = Number(await timeline.getAttribute('data-peak'));
      expect(peak).toBeGreaterThan(10);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
