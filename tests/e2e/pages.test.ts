/**
 * Routing, languages, autosave and looks: `/` picks a language, the list and lesson pages carry
 * the right `<html lang>`, the language switch keeps the lesson, unknown lessons 404 with a way
 * back, edits survive a reload and Reset restores the starter, nothing is fetched from the
 * internet, and screenshots of the lesson page (light and dark) are saved for review.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser.ts';
import { LessonPage } from './support/lesson-page.ts';

const appUrl = inject('appUrl');
const SCREENSHOTS = process.env.HANDSHAKE_E2E_SCREENSHOTS ?? '/tmp/handshake-e2e-screenshots';
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('routes', () => {
  it('redirects / to the language the browser prefers', async () => {
    const target = async (acceptLanguage: string) =>
      (
        await fetch(`${appUrl}/`, {
          redirect: 'manual',
          headers: { 'accept-language': acceptLanguage },
        })
      ).headers.get('location');
    expect(await target('zh-CN,zh;q=0.9,en;q=0.8')).toBe('/zh');
    expect(await target('en-GB,en;q=0.9')).toBe('/en');
    expect(await target('fr-FR,fr;q=0.9,zh;q=0.5')).toBe('/zh');
    expect(await target('fr-FR')).toBe('/en');
  });

  it('lists the lessons in order in each language with the right <html lang>', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${appUrl}/en`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const titles = await page.locator('main ol li').allInnerTexts();
    expect(titles.length).toBeGreaterThanOrEqual(2);
    expect(titles[0]).toMatch(/Sockets and addresses/i);
    expect(titles[1]).toMatch(/TCP client/i);
    await page.getByRole('link', { name: '中文' }).click();
    await page.waitForURL(`${appUrl}/zh`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hans');
    await context.close();
  });

  it('keeps the learner on the same lesson when switching language', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${appUrl}/en/lessons/tcp-server`);
    await page.getByRole('link', { name: '中文' }).click();
    await page.waitForURL(`${appUrl}/zh/lessons/tcp-server`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hans');
    await page.getByRole('button', { name: /^运行/ }).waitFor();
    await context.close();
  });

  it('answers an unknown lesson with a 404 page that links back to the list', async () => {
    const { page, context } = await openPage(browser);
    const response = await page.goto(`${appUrl}/en/lessons/no-such-lesson`);
    expect(response?.status()).toBe(404);
    await page.getByRole('link', { name: /Back to the lesson list/ }).click();
    await page.waitForURL(`${appUrl}/en`);
    expect((await fetch(`${appUrl}/xx`)).status).toBe(404);
    await context.close();
  });
});

describe('MDX component palette', () => {
  it('renders Note, Tip, Warning, Hint, Quiz and highlighted code', async () => {
    const { page, context, errors } = await openPage(browser);
    await page.goto(`${appUrl}/en/lessons/palette`);
    await page.getByRole('complementary', { name: 'Note' }).getByText('A note with').waitFor();
    await page.getByRole('complementary', { name: 'Shortcut' }).waitFor();
    await page.getByRole('complementary', { name: 'Warning' }).waitFor();
    const hint = page.getByText('socket.create_connection');
    expect(await hint.isVisible()).toBe(false);
    await page.getByText('Hint', { exact: true }).click();
    await hint.waitFor();

    const quiz = page.locator('form', { hasText: 'What does recv() return' });
    await quiz.getByLabel('None').check();
    await quiz.getByRole('button', { name: 'Check answer' }).click();
    await quiz.getByText('Not quite').waitFor();
    expect(await quiz.getByText('An empty bytes object').count()).toBe(0);
    await quiz.getByLabel('b""').check();
    await quiz.getByRole('button', { name: 'Check answer' }).click();
    await quiz.getByText('Correct.').waitFor();
    await quiz.getByText('An empty bytes object means end of stream.').waitFor();

    // Python blocks in prose are coloured by Monaco's tokenizer once it has loaded.
    await page.locator('article pre[data-language="python"] span[class^="mtk"]').first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('words the palette in the page language', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${appUrl}/zh/lessons/palette`);
    await page.getByRole('complementary', { name: '注意' }).waitFor();
    await page.getByRole('button', { name: '检查答案' }).waitFor();
    await context.close();
  });
});

describe('lesson page', () => {
  it('restores edits after a reload and brings back the starter on Reset', async () => {
    const { page, context } = await openPage(browser);
    const lesson = new LessonPage(page, appUrl);
    await lesson.open('en', 'tcp-client');
    const starter = await lesson.editorText();
    await lesson.setCode('print("my own code")\n');
    await page.reload();
    await lesson.open('en', 'tcp-client');
    expect(await lesson.editorText()).toContain('print("my own code")');
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset files' }).click();
    await page.waitForFunction(
      () => !document.querySelector('.view-lines')?.textContent?.includes('my own code'),
    );
    expect(await lesson.editorText()).toBe(starter);
    await page.reload();
    await lesson.open('en', 'tcp-client');
    expect(await lesson.editorText()).toBe(starter);
    await context.close();
  });

  it('loads every asset, Monaco and its worker included, from the app itself', async () => {
    const { page, context, external, errors } = await openPage(browser);
    const lesson = new LessonPage(page, appUrl);
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    await lesson.open('en', 'tcp-server');
    await lesson.setCode('import socket\n');
    await lesson.typeCode('sock');
    // Word suggestions come from Monaco's editor worker, which must load from the app too.
    await page.keyboard.press('Control+Space');
    await page.locator('.monaco-editor .suggest-widget .monaco-list-row').first().waitFor();
    expect(workers.length).toBeGreaterThan(0);
    expect(workers.every((url) => url.startsWith(appUrl))).toBe(true);
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`renders the lesson page after a run (${colorScheme} screenshot)`, async () => {
      const { page, context } = await openPage(browser, { colorScheme });
      const lesson = new LessonPage(page, appUrl);
      await lesson.open('en', 'tcp-client');
      await lesson.setCode('print("hello from the sandbox")\nraise SystemExit(3)\n');
      await lesson.run();
      await page
        .locator('[data-testid="run-status"][data-phase="finished"]')
        .waitFor({ timeout: 30_000 });
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, `lesson-${colorScheme}.png`) });
      expect(await lesson.processStatus('client.py').innerText()).toBe('exit 3');
      await context.close();
    });
  }
});
