/**
 * Terminal behaviour in a real browser: output is live (it shows before the program ends), and
 * keyboard input reaches the program through the browser's line discipline (input(), Ctrl-C,
 * Ctrl-D), and Stop ends a run. Uses the TCP client lesson's page with programs of our own.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser.ts';
import type { RecordedPage } from './support/browser.ts';
import { LessonPage } from './support/lesson-page.ts';

const appUrl = inject('appUrl');
const FILE = 'client.py';
let browser: Browser;
let recorded: RecordedPage;
let lesson: LessonPage;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  if (recorded) await recorded.context.close();
  recorded = await openPage(browser);
  lesson = new LessonPage(recorded.page, appUrl);
  await lesson.open('en', 'tcp-client');
});

async function runProgram(code: string): Promise<void> {
  await lesson.setCode(code);
  await lesson.run();
}

describe('terminal', () => {
  it('shows output while the program is still running, not only at the end', async () => {
    // The program cannot end before the test lets it (by pressing Enter), however slow the host.
    await runProgram(
      'print("first line", flush=True)\ninput()\nprint("second line", flush=True)\n',
    );
    const early = await lesson.waitForTerminalText(FILE, /first line/);
    expect(early).not.toContain('second line');
    expect(await lesson.processStatus(FILE).getAttribute('data-status')).toBe('running');
    await lesson.typeInTerminal(FILE, '\n');
    await lesson.waitForTerminalText(FILE, /second line/);
    await lesson.processStatus(FILE).and(recorded.page.locator('[data-status="exited"]')).waitFor();
  });

  it('sends a typed line to input() and shows the echo and the reply', async () => {
    await runProgram('name = input("What is your name? ")\nprint(f"Hello, {name}!")\n');
    await lesson.waitForTerminalText(FILE, /What is your name\?/);
    await lesson.typeInTerminal(FILE, 'Adx');
    await recorded.page.keyboard.press('Backspace');
    await recorded.page.keyboard.type('a');
    await recorded.page.keyboard.press('Enter');
    const text = await lesson.waitForTerminalText(FILE, /Hello, Ada!/);
    expect(text).toContain('What is your name? Ada');
    await recorded.page.locator(`[data-process="${FILE}"] [data-status="exited"]`).waitFor();
    expect(await lesson.processStatus(FILE).innerText()).toBe('exit 0');
  });

  it('interrupts the program on Ctrl-C, as a terminal would', async () => {
    await runProgram(
      'import time\nprint("waiting", flush=True)\nwhile True:\n    time.sleep(0.1)\n',
    );
    await lesson.waitForTerminalText(FILE, /waiting/);
    await lesson.terminal(FILE).locator('.xterm-screen').click();
    await recorded.page.keyboard.press('Control+C');
    const text = await lesson.waitForTerminalText(FILE, /KeyboardInterrupt/);
    expect(text).toContain('^C');
  });

  it('ends the input on Ctrl-D', async () => {
    await runProgram(
      'import sys\ndata = sys.stdin.read()\nprint(f"got {len(data.splitlines())} lines")\n',
    );
    await lesson
      .processStatus(FILE)
      .and(recorded.page.locator('[data-status="running"]'))
      .waitFor();
    await lesson.typeInTerminal(FILE, 'one');
    await recorded.page.keyboard.press('Enter');
    await recorded.page.keyboard.type('two');
    await recorded.page.keyboard.press('Enter');
    await recorded.page.keyboard.press('Control+D');
    const text = await lesson.waitForTerminalText(FILE, /got 2 lines/);
    expect(text).toContain('^D');
  });

  it('stops a run on Stop', async () => {
    await runProgram(
      'import time\nprint("forever", flush=True)\nwhile True:\n    time.sleep(0.1)\n',
    );
    await lesson.waitForTerminalText(FILE, /forever/);
    await recorded.page.getByRole('button', { name: 'Stop' }).click();
    await recorded.page.locator('[data-testid="run-status"][data-phase="finished"]').waitFor();
    expect(await lesson.processStatus(FILE).getAttribute('data-status')).toMatch(/killed|stopped/);
    expect(recorded.external).toEqual([]);
    expect(recorded.errors).toEqual([]);
  });
});
