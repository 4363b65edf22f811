/**
 * A page object for the lesson page: what a learner does (type code, Run, type into a terminal)
 * and what they see (terminal text, process status, checks), in the terms the tests speak.
 */
import type { Locator, Page } from 'playwright-core';

export class LessonPage {
  readonly page: Page;
  private readonly appUrl: string;

  constructor(page: Page, appUrl: string) {
    this.page = page;
    this.appUrl = appUrl;
  }

  /** Opens a lesson and waits until the editor and the sandbox connection are ready. */
  async open(lang: string, slug: string): Promise<void> {
    await this.page.goto(`${this.appUrl}/${lang}/lessons/${slug}`);
    await this.page.locator('[data-testid="code-editor"] .monaco-editor').waitFor();
    await this.page.locator('[data-state="ready"]').waitFor({ timeout: 20_000 });
  }

  /**
   * Replaces the active file's text as a learner would: select all, then paste. Pasting keeps
   * the indentation exactly; typing line by line would collide with Monaco's auto-indent.
   */
  async setCode(code: string): Promise<void> {
    const lines = '[data-testid="code-editor"] .view-lines';
    await this.page.locator(lines).click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    await this.page.waitForFunction(
      (selector) => !document.querySelector(selector)?.textContent?.trim(),
      lines,
    );
    // The paste goes to whatever Monaco focused for input (a textarea or an EditContext element).
    await this.page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      const event = new ClipboardEvent('paste', {
        clipboardData: data,
        bubbles: true,
        cancelable: true,
      });
      document.activeElement?.dispatchEvent(event);
    }, code);
    // Monaco renders on the next animation frame and scrolls to the cursor at the end of the
    // pasted text (lines out of view are not rendered); wait until the last line shows.
    const lastLine =
      code
        .split('\n')
        .findLast((line) => line.trim())
        ?.trim() ?? '';
    await this.page.waitForFunction(
      ([selector, line]) =>
        document
          .querySelector(selector!)
          ?.textContent?.replace(/\u00a0/g, ' ')
          .includes(line!),
      [lines, lastLine],
    );
  }

  /** Types text at the cursor, key by key (Monaco may auto-indent and auto-close brackets). */
  async typeCode(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }

  /** The text Monaco shows (its rendered lines), for checking what was typed. */
  async editorText(): Promise<string> {
    return (await this.page.locator('[data-testid="code-editor"] .view-lines').innerText()).replace(
      /\u00a0/g,
      ' ',
    );
  }

  runButton(): Locator {
    return this.page.getByRole('button', { name: /^(Run|运行)/ });
  }

  async run(): Promise<void> {
    await this.runButton().click();
  }

  terminal(process: string): Locator {
    return this.page.locator(`[data-process="${process}"]`);
  }

  /** What the process's xterm shows right now. */
  async terminalText(process: string): Promise<string> {
    return (await this.terminal(process).locator('.xterm-rows').innerText()).replace(
      /\u00a0/g,
      ' ',
    );
  }

  /** Waits until the process's terminal shows text matching `pattern`. */
  async waitForTerminalText(process: string, pattern: RegExp, timeout = 20_000): Promise<string> {
    const deadline = Date.now() + timeout;
    let text = '';
    while (Date.now() < deadline) {
      text = (await this.terminal(process).count()) ? await this.terminalText(process) : '';
      if (pattern.test(text)) return text;
      await this.page.waitForTimeout(50);
    }
    throw new Error(`terminal ${process} never showed ${pattern}; it shows:\n${text}`);
  }

  /** The status badge of a process: running, exit 0, stopped, … */
  processStatus(process: string): Locator {
    return this.terminal(process).locator('[data-status]');
  }

  /** Clicks into a process's terminal and types, keystroke by keystroke. */
  async typeInTerminal(process: string, text: string): Promise<void> {
    await this.terminal(process).locator('.xterm-screen').click();
    await this.page.keyboard.type(text);
  }

  checks(): Locator {
    return this.page.getByTestId('checks');
  }

  runStatus(): Locator {
    return this.page.getByTestId('run-status');
  }
}
