/**
 * A learner's whole path through a real lesson, in each language, against the real sandbox:
 * read the lesson, run the starter and fail, open two hints, write the solution, pass every
 * check, and compare their code with the reference solution — which leaves their code as it is.
 */
import { readFileSync } from 'node:fs';
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

/** What a learner reads and clicks, in each language. */
const WORDS = {
  en: {
    heading: 'A TCP client',
    hint: (n: number) => `Show hint ${n} of 3`,
    compare: 'Compare with solution',
    back: 'Back to the editor',
  },
  zh: {
    heading: 'TCP 客户端',
    hint: (n: number) => `显示提示 ${n} / 3`,
    compare: '与参考答案对比',
    back: '返回编辑器',
  },
} as const;

const solution = readFileSync(
  path.join(inject('contentDir'), '02-tcp-client', 'solution', 'client.py'),
  'utf8',
);

/** The statuses of the check list once the run's checks have arrived. */
async function checkStatuses(lesson: LessonPage): Promise<string[]> {
  await lesson.checks().waitFor({ timeout: 30_000 });
  return lesson
    .checks()
    .locator('li[data-status]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status') ?? ''));
}

describe.each(['en', 'zh'] as const)('the tcp-client lesson in %s', (lang) => {
  it.skipIf(needsRealSandbox)(
    'takes a learner from a failed run through two hints to a pass and the comparison',
    async () => {
      const words = WORDS[lang];
      const { page, errors } = await openPage(browser);
      const lesson = new LessonPage(page, appUrl);
      await lesson.open(lang, 'tcp-client');
      await page.getByRole('heading', { level: 1, name: words.heading }).waitFor();

      await lesson.run();
      expect(await checkStatuses(lesson)).toContain('fail');

      const hints = page.getByTestId('hints');
      await hints.getByRole('button', { name: words.hint(1) }).click();
      await hints.locator('[data-level="1"]').waitFor();
      await hints.getByRole('button', { name: words.hint(2) }).click();
      await hints.locator('[data-level="2"]').waitFor();
      expect(await hints.locator('[data-level="3"]').count()).toBe(0);

      await lesson.setCode(solution);
      await lesson.run();
      const allPass = async () => {
        const statuses = await checkStatuses(lesson);
        return statuses.length > 0 && statuses.every((status) => status === 'pass');
      };
      await expect.poll(allPass, { timeout: 30_000 }).toBe(true);

      await page.getByRole('button', { name: words.compare }).click();
      const diff = page.getByTestId('solution-diff');
      await diff.locator('.monaco-diff-editor .view-lines').first().waitFor();
      await diff.getByRole('button', { name: words.back }).click();
      await diff.waitFor({ state: 'detached' });
      const lastLine = solution.trimEnd().split('\n').at(-1)!.trim();
      // Monaco lays its lines out again once the diff view is gone.
      await expect.poll(() => lesson.editorText()).toContain(lastLine);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});
