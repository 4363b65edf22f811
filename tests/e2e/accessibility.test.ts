/**
 * Accessibility of a first visit, checked by axe-core against WCAG 2.1 A and AA: the lesson list
 * and every lesson page (found on disk, fixtures included) in every language, in light and dark,
 * as loaded; and, against a scripted sandbox, the states a learner reaches next: a finished run
 * (terminals with stdout and stderr, status, notice, checks), the Network view's tabs with a
 * packet's header card and the connection timeline's table, and the Reset dialog; and the learner
 * aids opened (every hint level, a prediction settled wrong and right, a traceback's help under
 * its terminal, the solution comparison). No serious or critical violation may remain; each
 * failure names page, rule, impact and element. And the keyboard: Tab reaches every control with
 * a visible ring, Ctrl+M gets out of Monaco, and the solution comparison opens, switches files
 * and closes (Escape) back into the editor.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lessonLanguages } from '../../lib/lessons/catalog.ts';
import { listLessonFolders } from '../../lib/lessons/folders.ts';
import type { CheckResult, Lang } from '../../lib/protocol.ts';
import { uiText } from '../../app/_i18n/ui-text.ts';
import { axeViolations } from './support/axe.ts';
import { launchBrowser, openPage } from './support/browser.ts';
import {
  FAIL,
  LEARNER_AIDS,
  PROCESSES,
  TRACEBACK,
  refusal,
  runEvents,
} from './support/learner-aids-runs.ts';
import { LessonPage } from './support/lesson-page.ts';
import { sessionEvents } from './support/recorded-session.ts';
import {
  SCRIPTED_LIMITS,
  scriptRuns as scriptEachRun,
  scriptSandbox,
} from './support/scripted-sandbox.ts';

const appUrl = inject('appUrl');
const here = path.dirname(fileURLToPath(import.meta.url));
type Theme = 'light' | 'dark';
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Every lesson the app serves in the e2e run (content plus fixtures), with its languages. */
function servedLessons(): Array<{ slug: string; lang: Lang }> {
  const dirs = [inject('contentDir'), path.join(here, 'fixtures', 'content')];
  return dirs
    .flatMap((dir) => listLessonFolders(dir))
    .flatMap((folder) => lessonLanguages(folder.dir).map((lang) => ({ slug: folder.slug, lang })));
}

/**
 * Waits until the page has stopped changing by itself: nothing announces it is still loading
 * (the editor placeholder, a recorded capture) and Python blocks in the prose are coloured.
 */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      !document.querySelector('[aria-busy="true"]') &&
      [...document.querySelectorAll('pre[data-language="python"]')].every((pre) =>
        pre.querySelector('[class^="mtk"]'),
      ),
  );
}

/** Fails with every violation on its own line, rather than a truncated array diff. */
function expectNone(violations: string[]): void {
  expect(violations, `${violations.length} violations:\n${violations.join('\n')}\n`).toEqual([]);
}

/** Switches the page's colour scheme and waits until the editor and the prose code have followed. */
async function switchTheme(page: Page, scheme: Theme): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await page.waitForFunction(
    (dark) =>
      [...document.querySelectorAll('.monaco-editor')].every(
        (editor) => editor.classList.contains('vs-dark') === dark,
      ),
    scheme === 'dark',
  );
  await settled(page); // prose code is coloured anew for the theme
}

/**
 * Every rule in the page's current theme, then the colour rules in the other one (the app follows
 * prefers-color-scheme live): each state is loaded once for both themes, and the next page loads
 * in the theme left on, so pages alternate between loading light and loading dark.
 */
async function bothThemes(page: Page, where: string): Promise<string[]> {
  const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
  const [first, second]: [Theme, Theme] = dark ? ['dark', 'light'] : ['light', 'dark'];
  const found = await axeViolations(page, `${first} ${where}`);
  await switchTheme(page, second);
  found.push(...(await axeViolations(page, `${second} ${where}`, 'colour')));
  return found;
}

describe('axe-core finds no serious WCAG 2.1 AA violation, light or dark', () => {
  it(
    'on the lesson list and every lesson page, in every language',
    async () => {
      const { page, context } = await openPage(browser, { reducedMotion: 'reduce' });
      const lesson = new LessonPage(page, appUrl);
      const found: string[] = [];
      for (const lang of ['en', 'zh'] as const) {
        await page.goto(`${appUrl}/${lang}`);
        found.push(...(await bothThemes(page, `/${lang}`)));
      }
      const lessons = servedLessons();
      expect(lessons.length).toBeGreaterThan(0);
      for (const { slug, lang } of lessons) {
        await lesson.open(lang, slug);
        await settled(page);
        found.push(...(await bothThemes(page, `/${lang}/lessons/${slug}`)));
      }
      expectNone(found);
      await context.close();
      // Each lesson page in each language and theme: about a second per page here, so the bound
      // grows with the course rather than with a fixed guess.
    },
    60_000 + servedLessons().length * 4_000,
  );

  it('after a run: output, checks, Network views, a packet header, the dialog', async () => {
    const { page, context } = await openPage(browser, { reducedMotion: 'reduce' });
    const found: string[] = [];
    await scriptRuns(page);
    for (const lang of ['en', 'zh'] as const) {
      await new LessonPage(page, appUrl).open(lang, 'tcp-server');
      found.push(...(await afterRunViolations(page, lang, `/${lang}/lessons/tcp-server`)));
    }
    expectNone(found);
    await context.close();
  });

  it('with the learner aids open: hints, predictions, error help, the solution comparison', async () => {
    const found: string[] = [];
    for (const lang of ['en', 'zh'] as const) {
      // A fresh context per language: the aids remember their state per lesson.
      const { page, context } = await openPage(browser, { reducedMotion: 'reduce' });
      await scriptEachRun(page, [...PROCESSES], (runId) => [
        ...refusal(runId),
        ...runEvents(runId, FAIL, TRACEBACK),
      ]);
      await new LessonPage(page, appUrl).open(lang, LEARNER_AIDS);
      await settled(page);
      found.push(...(await learnerAidViolations(page, lang, `/${lang}/lessons/${LEARNER_AIDS}`)));
      await context.close();
    }
    expectNone(found);
  });
});

/**
 * Opens every learner aid of the fixture lesson and checks them in both themes: all hint levels,
 * a prediction settled wrong with the traceback's help under client.py, then one settled right
 * with the solution comparison open (reached, used and closed by keyboard).
 */
async function learnerAidViolations(page: Page, lang: Lang, where: string): Promise<string[]> {
  const t = uiText(lang);
  const lesson = new LessonPage(page, appUrl);
  const found: string[] = [];
  const check = async (state: string) =>
    found.push(...(await bothThemes(page, `${where} ${state}`)));

  const hints = page.getByTestId('hints');
  for (let level = 1; level <= 3; level++)
    await hints.getByRole('button', { name: t.hints.show(level, 3) }).click();
  await hints.getByText(t.hints.allShown).waitFor();
  await page.locator('details:not([open]) > summary').first().click(); // the lone <Hint>
  const predict = page.getByTestId('predict-recv-after-close');
  await predict.getByRole('radio').first().check(); // None: wrong
  await lesson.run();
  await predict.locator('[data-verdict="wrong"]').waitFor();
  const help = page.getByTestId('error-help-client.py');
  await help.getByRole('button', { name: t.errorHelp.goTo('client.py', 3) }).waitFor();
  await check('hints open, prediction wrong, error help');

  // By keyboard: the button goes away, and the keyboard lands on the first choice.
  await predict.getByRole('button', { name: t.predict.again }).focus();
  await page.keyboard.press('Enter');
  await expect
    .poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement).type))
    .toBe('radio');
  await predict.getByRole('radio').nth(1).check(); // b"": right
  await lesson.run();
  await predict.locator('[data-verdict="right"]').waitFor();
  await openComparison(page, lang);
  await check('prediction right, solution comparison');
  await closeComparison(page, lang);
  return found;
}

/**
 * Reaches "Compare with solution" by Shift+Tab from Run and opens it with Enter: the comparison
 * shows both sides, and the keyboard lands on its close button.
 */
async function openComparison(page: Page, lang: Lang): Promise<void> {
  const t = uiText(lang);
  await new LessonPage(page, appUrl).runButton().focus();
  const compare = `button ${t.compare.open}`;
  const stops = await tabUntil(page, (stop) => stop.name === compare, 'Shift+Tab');
  expect(stops.filter((stop) => !stop.ringed).map((stop) => stop.name)).toEqual([]);
  await page.keyboard.press('Enter');
  const diff = page.getByTestId('solution-diff');
  await diff.locator('.monaco-diff-editor .view-lines').first().waitFor();
  await settled(page);
  expect((await focused(page)).name).toBe(`button ${t.compare.close}`);
}

/**
 * Moves by keyboard through the comparison's file buttons (each switches the file compared),
 * then leaves with Escape: the comparison closes and the keyboard is back in the editor.
 */
async function closeComparison(page: Page, lang: Lang): Promise<void> {
  const t = uiText(lang);
  const diff = page.getByTestId('solution-diff');
  const files = diff.getByRole('group', { name: t.compare.files }).getByRole('button');
  const count = await files.count();
  expect(count).toBe(PROCESSES.length);
  for (let i = count - 1; i >= 0; i--) {
    const name = await files.nth(i).innerText();
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ name: `button ${name}`, ringed: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => files.nth(i).getAttribute('aria-pressed')).toBe('true');
    await diff.getByText(t.compare.yours(name), { exact: true }).waitFor();
  }
  // The file switch remounts the diff editor, which loads lazily: Tab can only enter it once both
  // sides are laid out (a textarea in a container not yet sized cannot take focus).
  await page.waitForFunction(() =>
    ['original', 'modified'].every((side) => {
      const box = document.querySelector(`.monaco-diff-editor .editor.${side} textarea`);
      return (box?.closest('.monaco-editor')?.getBoundingClientRect().width ?? 0) > 0;
    }),
  );
  await settled(page);
  // Tab goes on into the read-only diff (Tab does not indent there), and Escape leaves from it too.
  const inDiff = () =>
    page.evaluate(() => !!document.activeElement?.closest('.monaco-diff-editor [role="textbox"]'));
  // The other file buttons, the close button, then the diff (Monaco may add a stop or two of its
  // own, e.g. a collapsed run of unchanged lines).
  for (let i = 0; i < count + 6 && !(await inDiff()); i++) await page.keyboard.press('Tab');
  expect(await inDiff(), `focus is on ${JSON.stringify(await focused(page))}`).toBe(true);
  await page.keyboard.press('Escape');
  await diff.waitFor({ state: 'detached' });
  await expect.poll(async () => (await focused(page)).inEditor).toBe(true);
}

/**
 * Presses Run and checks each state a learner reaches next, in both themes: the output, every
 * Network view (the sequence view with a packet's header card open), and the Reset dialog.
 */
async function afterRunViolations(page: Page, lang: Lang, where: string): Promise<string[]> {
  const lesson = new LessonPage(page, appUrl);
  const found: string[] = [];
  const check = async (state: string) =>
    found.push(...(await bothThemes(page, `${where} ${state}`)));
  await lesson.run();
  await page.locator('[data-testid="run-status"][data-phase="finished"]').waitFor();
  // The scripted run fails checks from an English page and passes from a Chinese one.
  const checks = lesson.checks();
  await (
    lang === 'en' ? checks.getByRole('alert') : checks.getByText(uiText(lang).allChecksPassed)
  ).waitFor();
  await lesson.waitForTerminalText('server.py', /oops/);
  await check('after Run');

  const workbench = page.locator('section', { has: page.locator('[data-view="network"]') });
  await workbench.locator('[data-view="network"]').click();
  const views = workbench.getByTestId('wire-panel').getByRole('tab');
  for (let i = 0; i < (await views.count()); i++) {
    await views.nth(i).click();
    if (i === 0) {
      await workbench.getByTestId('arrow').first().focus();
      await workbench.getByTestId('header-card').waitFor();
    }
    await check(`Network › ${await views.nth(i).innerText()}`);
    const asTable = workbench.getByTestId('timeline-as-table');
    if (await asTable.isVisible()) {
      // The connection timeline's table alternative is a state of its own.
      await asTable.click();
      await check(`Network › ${await views.nth(i).innerText()} › ${await asTable.innerText()}`);
    }
  }

  await workbench.getByRole('button', { name: uiText(lang).reset, exact: true }).click();
  await page.getByRole('dialog').waitFor();
  await check('Reset dialog');
  await page.keyboard.press('Escape');
  return found;
}

describe('keyboard', () => {
  it('reaches every control by Tab with a visible focus ring, and Ctrl+M lets Tab leave the editor', async () => {
    const { page, context } = await openPage(browser, { reducedMotion: 'reduce' });
    const lesson = new LessonPage(page, appUrl);
    await lesson.open('en', 'tcp-server');
    await settled(page);

    // From the top of the page to the editor, where Tab starts to indent.
    const before = await tabUntil(page, (stop) => stop.inEditor);
    const names = before.map((stop) => stop.name);
    expect(names).toContain('link 中文');
    expect(names).toContain('tab server.py');
    expect(names).toContain('button Run');
    expect(before.filter((stop) => !stop.ringed).map((stop) => stop.name)).toEqual([]);
    const hint = await page
      .locator('[data-testid="code-editor"] [role="textbox"]')
      .evaluate(
        (box) => document.getElementById(box.getAttribute('aria-describedby') ?? '')?.textContent,
      );
    expect(hint).toMatch(/Ctrl\+M/);

    await page.keyboard.press('Tab');
    expect((await focused(page)).inEditor).toBe(true);
    await page.keyboard.press('Control+M');
    const after = await tabUntil(page, (stop) => stop.name === 'tab Terminals');
    expect(after[0]!.inEditor).toBe(false);
    expect(after.filter((stop) => !stop.ringed).map((stop) => stop.name)).toEqual([]);
    await context.close();
  });
});

interface TabStop {
  /** Role (or tag) and accessible text, e.g. `button Run`. */
  name: string;
  inEditor: boolean;
  /** Whether something visibly marks the focus: an outline, a box shadow or the editor's ring. */
  ringed: boolean;
}

/** What has the keyboard focus now, and whether it shows. */
function focused(page: Page): Promise<TabStop> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement;
    const editor = element.closest('[data-testid="code-editor"]')?.parentElement;
    const style = getComputedStyle(element);
    const ringed = editor
      ? getComputedStyle(editor, '::after').borderTopStyle !== 'none'
      : (element.matches(':focus-visible') &&
          style.outlineStyle !== 'none' &&
          parseFloat(style.outlineWidth) > 0) ||
        style.boxShadow !== 'none';
    const role = element.getAttribute('role') ?? element.tagName.toLowerCase();
    const label = (element as HTMLInputElement).labels?.[0]?.innerText;
    const text = (element.getAttribute('aria-label') ?? label ?? element.innerText)
      .trim()
      .split('\n')[0];
    return { name: `${role === 'a' ? 'link' : role} ${text}`, inEditor: !!editor, ringed };
  });
}

/**
 * Presses Tab (or `key`, e.g. Shift+Tab) until `done` holds for the focused element (at most 60
 * times); every stop, in order.
 */
async function tabUntil(
  page: Page,
  done: (stop: TabStop) => boolean,
  key = 'Tab',
): Promise<TabStop[]> {
  const stops: TabStop[] = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press(key);
    const stop = await focused(page);
    stops.push(stop);
    if (done(stop)) return stops;
  }
  throw new Error(`Tab never got there; it went through:\n${stops.map((s) => s.name).join('\n')}`);
}

const MIXED_CHECKS: CheckResult[] = [
  { id: 'listen', title: 'Listens on port 5000', status: 'pass', message: 'The peer connected.' },
  {
    id: 'echo',
    title: 'Echoes the line',
    status: 'fail',
    message: 'Expected the line back.',
    details: 'expected: hello\nreceived: (nothing)',
  },
  {
    id: 'close',
    title: 'Closes cleanly',
    status: 'error',
    message: 'The check itself failed.',
    details: 'TypeError: x is undefined',
  },
];

/**
 * Scripts the page's sandbox: every Run prints on both streams, exits, sends packets and checks.
 * A run from an English page fails checks and ends at its time limit (so the page shows that
 * notice); one from a Chinese page passes.
 */
async function scriptRuns(page: Page): Promise<void> {
  const processes = [
    { name: 'peer:client', kind: 'peer' as const, label: 'peer: client' },
    { name: 'server.py', kind: 'learner' as const, label: 'server.py' },
  ];
  await scriptSandbox(page, (_socket, message, send) => {
    if (message.type !== 'run') return;
    const { runId } = message;
    const failing = message.lang === 'en';
    const output = (process: string, stream: 'stdout' | 'stderr', data: string) =>
      send({ type: 'output', runId, process, stream, data });
    const exited = { type: 'process-exited', runId, signal: null, durationMs: 40 } as const;
    send({ type: 'run-started', runId, seed: 7, limits: SCRIPTED_LIMITS, processes });
    send({ type: 'process-started', runId, process: 'peer:client', at: 1 });
    send({ type: 'process-started', runId, process: 'server.py', at: 2 });
    output('server.py', 'stdout', 'listening on 127.0.0.1:5000\n');
    output('peer:client', 'stdout', 'client: sent hello\n');
    output('server.py', 'stderr', 'Traceback (most recent call last):\noops\n');
    sessionEvents(runId).forEach(send);
    send({ ...exited, process: 'server.py', end: 'exited', exitCode: failing ? 1 : 0 });
    send({ ...exited, process: 'peer:client', end: 'stopped', exitCode: null });
    send({ type: 'checks', runId, results: failing ? MIXED_CHECKS : MIXED_CHECKS.slice(0, 1) });
    send({
      type: 'run-finished',
      runId,
      reason: failing ? 'time-limit' : 'completed',
      notice: failing
        ? { code: 'time-limit', params: { seconds: 10 } }
        : { code: 'run-completed', params: {} },
      durationMs: 120,
    });
  });
}
