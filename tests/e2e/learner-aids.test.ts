/**
 * What a learner gets in every lesson, on the fixture lesson `learner-aids` against a scripted
 * sandbox: graduated hints, a prediction settled by the next run, the comparison with the
 * solution (unlocked by failed runs or a pass) and a traceback's links into the editor, with the
 * sentence that explains a refused connection.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser.ts';
import {
  FAIL,
  LEARNER_AIDS as SLUG,
  PASS,
  PROCESSES,
  TRACEBACK,
  refusal,
  runEvents,
} from './support/learner-aids-runs.ts';
import { LessonPage } from './support/lesson-page.ts';
import { scriptRuns } from './support/scripted-sandbox.ts';

const appUrl = inject('appUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function openLesson(page: Page, lang = 'en'): Promise<LessonPage> {
  const lesson = new LessonPage(page, appUrl);
  await lesson.open(lang, SLUG);
  return lesson;
}

/** Runs once and waits until the run has finished. */
async function runOnce(lesson: LessonPage, finished: RegExp): Promise<void> {
  await lesson.run();
  await lesson.runStatus().getByText(finished).waitFor();
}

describe('graduated hints', () => {
  it('reveal one level at a time, by keyboard too, and are remembered per lesson', async () => {
    const { page, context, errors } = await openPage(browser);
    await scriptRuns(page, [...PROCESSES], (runId) => runEvents(runId, FAIL));
    await openLesson(page);
    const hints = page.getByTestId('hints');
    expect(await hints.locator('[data-level]').count()).toBe(0);

    await hints.getByRole('button', { name: 'Show hint 1 of 3' }).click();
    await hints.locator('[data-level="1"]').getByText('Level one').waitFor();
    // The new level takes focus, so a screen reader reads it; Tab reaches the next button.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-level')))
      .toBe('1');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await hints.locator('[data-level="2"]').getByText('Level two').waitFor();
    expect(await hints.locator('[data-level="3"]').count()).toBe(0);

    await page.reload();
    await hints.locator('[data-level="2"]').waitFor();
    await hints.getByRole('button', { name: 'Show hint 3 of 3' }).click();
    await hints.locator('[data-level="3"]').getByText('close to the answer').waitFor();
    await hints.getByText('All hints are shown.').waitFor();

    // A lone <Hint> outside <Hints> is still a disclosure.
    const lone = page.locator('details', { hasText: 'A lone hint' });
    expect(await lone.getAttribute('open')).toBeNull();
    await lone.locator('summary').click();
    expect(await lone.getAttribute('open')).toBe('');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('speak Chinese on the Chinese page', async () => {
    const { page, context } = await openPage(browser, { locale: 'zh-CN' });
    await scriptRuns(page, [...PROCESSES], (runId) => runEvents(runId, FAIL));
    await openLesson(page, 'zh');
    await page.getByRole('button', { name: '显示提示 1 / 3' }).click();
    await page.getByText('第一级：客户端需要服务器的地址。').waitFor();
    await context.close();
  });
});

describe('predict before you run', () => {
  it('takes a pick before Run and tells after the run whether it was right', async () => {
    const { page, context, errors } = await openPage(browser);
    await scriptRuns(page, [...PROCESSES], (runId) => runEvents(runId, FAIL));
    const lesson = await openLesson(page);
    const predict = page.getByTestId('predict-recv-after-close');
    await predict.getByText('Pick what you expect').waitFor();
    expect(await predict.getByText('An empty bytes object').count()).toBe(0);

    await predict.getByRole('radio', { name: 'None' }).check();
    await predict.getByText('Your prediction is saved').waitFor();
    await runOnce(lesson, /finished/i);

    await predict.getByText('Not this time: the answer is “b""”.').waitFor();
    await predict.getByText('An empty bytes object').waitFor();
    expect(await predict.getByRole('radio', { name: 'None' }).isDisabled()).toBe(true);

    await page.reload();
    await predict.getByText('Not this time').waitFor();
    await predict.getByRole('button', { name: 'Predict again' }).click();
    await predict.getByRole('radio', { name: 'b""' }).check();
    await runOnce(lesson, /finished/i);
    await predict.getByText('You predicted right.').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is not required to run, and a run without a pick settles nothing', async () => {
    const { page, context } = await openPage(browser);
    await scriptRuns(page, [...PROCESSES], (runId) => runEvents(runId, FAIL));
    const lesson = await openLesson(page);
    await runOnce(lesson, /finished/i);
    const predict = page.getByTestId('predict-recv-after-close');
    await predict.getByText('Pick what you expect').waitFor();
    expect(await predict.getByRole('radio', { name: 'b""' }).isEnabled()).toBe(true);
    await context.close();
  });
});

describe('compare with the solution', () => {
  const compareButton = (page: Page) => page.getByRole('button', { name: 'Compare with solution' });

  it('is offered after compareAfterFailedRuns failed runs and keeps the learner code', async () => {
    const { page, context, errors } = await openPage(browser);
    await scriptRuns(page, [...PROCESSES], (runId) => runEvents(runId, FAIL));
    const lesson = await openLesson(page);
    await lesson.setCode('import socket\nprint("mine")\n');
    await runOnce(lesson, /finished/i);
    expect(await compareButton(page).count()).toBe(0);
    await runOnce(lesson, /finished/i);
    await compareButton(page).waitFor();

    await compareButton(page).click();
    const diff = page.getByTestId('solution-diff');
    await diff.waitFor();
    // Monaco's diff editor: the learner's line on one side, the solution's on the other.
    await diff
      .locator('.monaco-diff-editor .view-lines', { hasText: 'print("mine")' })
      .first()
      .waitFor();
    await diff
      .locator('.monaco-diff-editor .view-lines', { hasText: 'decode()' })
      .first()
      .waitFor();
    await diff.getByRole('button', { name: 'server.py' }).click();
    await diff
      .locator('.monaco-diff-editor .view-lines', { hasText: 'create_server' })
      .first()
      .waitFor();

    await page.keyboard.press('Escape');
    await diff.waitFor({ state: 'detached' });
    // The editor was hidden, not unmounted: it draws its lines again on the next frame.
    await expect.poll(() => lesson.editorText()).toContain('print("mine")');
    expect(await lesson.editorText()).not.toContain('decode()');

    // Remembered: after a reload the comparison is still offered.
    await page.reload();
    await compareButton(page).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is offered at once after a passed run', async () => {
    const { page, context } = await openPage(browser);
    await scriptRuns(page, [...PROCESSES], (runId) => runEvents(runId, PASS));
    const lesson = await openLesson(page);
    await runOnce(lesson, /finished/i);
    await compareButton(page).click();
    await page
      .getByTestId('solution-diff')
      .getByRole('button', { name: 'Back to the editor' })
      .click();
    await page.getByTestId('solution-diff').waitFor({ state: 'detached' });
    await context.close();
  });
});

describe('errors that teach', () => {
  it('explains a refused connection and links the traceback to the line, by mouse and keyboard', async () => {
    const { page, context, errors } = await openPage(browser, {
      viewport: { width: 1920, height: 1000 },
    });
    await scriptRuns(page, [...PROCESSES], (runId) => [
      ...refusal(runId),
      ...runEvents(runId, FAIL, TRACEBACK),
    ]);
    const lesson = await openLesson(page);
    await lesson.run();
    const help = page.getByTestId('error-help-client.py');
    await help
      .getByText('Nothing listens on 127.0.0.1:5050: the other side answered the SYN with a RST', {
        exact: false,
      })
      .waitFor();

    // Keyboard: the list under the terminal.
    const link = help.getByRole('button', { name: 'client.py, line 3' });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('# ');
    await expect.poll(() => lesson.editorText()).toContain('# sock = socket.create_connection');

    // Mouse: the link xterm draws over the traceback's frame line.
    // The terminal follows the end of the output: scroll back up to the frame line.
    const box = (await lesson.terminal('client.py').locator('.xterm-screen').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -2000);
    await lesson.waitForTerminalText('client.py', /File "\/sandbox\/client\.py", line 3/);
    await page.getByRole('tab', { name: /server\.py/ }).click();
    await clickTerminalText(page, 'client.py', 'File "/sandbox/client.py", line 3');
    await page.keyboard.type('#');
    await expect.poll(() => lesson.editorText()).toContain('## sock = socket.create_connection');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('words the sentence in Chinese on the Chinese page', async () => {
    const { page, context } = await openPage(browser, { locale: 'zh-CN' });
    await scriptRuns(page, [...PROCESSES], (runId) => [
      ...refusal(runId),
      ...runEvents(runId, FAIL, TRACEBACK),
    ]);
    const lesson = await openLesson(page, 'zh');
    await lesson.run();
    await page
      .getByTestId('error-help-client.py')
      .getByText('127.0.0.1:5050 上没有程序在监听', { exact: false })
      .waitFor();
    await context.close();
  });
});

/** Hovers and clicks the middle of `text` where a process's xterm draws it. */
async function clickTerminalText(page: Page, process: string, text: string): Promise<void> {
  const rows = page.locator(`[data-process="${process}"] .xterm-rows`);
  const point = await rows.evaluate((element, wanted) => {
    for (const row of Array.from(element.children)) {
      const at = (row.textContent ?? '').replace(/\u00a0/g, ' ').indexOf(wanted);
      if (at < 0) continue;
      // The row's text sits in one or more spans: find the node and offset of the middle char.
      let offset = at + Math.floor(wanted.length / 2);
      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent?.length ?? 0;
        if (offset < length) {
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, offset + 1);
          const box = range.getBoundingClientRect();
          return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        }
        offset -= length;
      }
    }
    return null;
  }, text);
  if (!point) throw new Error(`terminal ${process} does not show ${text}`);
  await page.mouse.move(point.x, point.y);
  await page.mouse.move(point.x + 1, point.y);
  await page.mouse.click(point.x + 1, point.y);
}
