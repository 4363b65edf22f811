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

  /** Replaces the active file's text by typing into Monaco, as a learner would. */
  async setCode(code: string): Promise<void> {
    await this.page.locator('[data-testid="code-editor"] .view-lines').click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    // insertText types the whole text at once: no auto-indent or auto-closed brackets on the way.
    await this.page.keyboard.insertText(code);
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
