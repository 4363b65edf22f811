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

  /** Opens a lesson and waits until the editor shows the file and the sandbox is ready. */
  async open(lang: string, slug: string): Promise<void> {
    await this.page.goto(`${this.appUrl}/${lang}/lessons/${slug}`);
    // Monaco is created without a model and given the file afterwards, and draws its lines on a
    // later frame: wait for the lines, so that reading the editor right away reads the file.
    await this.page.locator('[data-testid="code-editor"] .view-lines .view-line').first().waitFor();
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

  /** Shows a file in the editor, as its tab does, and waits until typing would edit that file. */
  async openFile(name: string): Promise<void> {
    await this.page.locator(`[role="tab"][data-file="${name}"]`).click();
    await this.page.locator(`[data-testid="code-editor"][data-file="${name}"]`).waitFor();
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

  /**
   * Scrolls the Network view's diagram back to its start and waits until it draws the rows there,
   * for a capture that opens with a TCP handshake. The diagram renders only the rows in view, on
   * a frame after the scroll: until then the DOM still holds the rows of the old position (a
   * finished run's diagram follows its last packet, the teardown).
   */
  async scrollDiagramToHandshake(): Promise<void> {
    const diagram = this.page.getByTestId('sequence-diagram');
    await diagram.evaluate((box) => (box.scrollTop = 0));
    await this.page.waitForFunction(
      (box) =>
        box?.querySelector('[data-testid="phase-heading"]')?.getAttribute('data-phase') ===
        'handshake',
      await diagram.elementHandle(),
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

  /** Waits until the process's terminal shows text matching `pattern`; returns that text. */
  async waitForTerminalText(process: string, pattern: RegExp, timeout = 20_000): Promise<string> {
    const rows = `[data-process="${process}"] .xterm-rows`;
    try {
      // Checked in the page on every frame, so the test sees the text as soon as it is drawn.
      const shown = await this.page.waitForFunction(
        ([selector, source, flags]) => {
          const element = document.querySelector<HTMLElement>(selector!);
          const text = element?.innerText.replace(/\u00a0/g, ' ') ?? '';
          return new RegExp(source!, flags).test(text) ? { text } : null;
        },
        [rows, pattern.source, pattern.flags],
        { timeout },
      );
      return ((await shown.jsonValue()) as { text: string }).text;
    } catch (error) {
      const text = (await this.terminal(process).count()) ? await this.terminalText(process) : '';
      throw new Error(`terminal ${process} never showed ${pattern}; it shows:\n${text}`, {
        cause: error,
      });
    }
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

  /**
   * Each check's status and the words its row shows, once the run's checks have arrived: a test
   * that expects them all to pass then prints why one did not.
   */
  async checkResults(timeout = 30_000): Promise<{ status: string; text: string }[]> {
    await this.checks().waitFor({ timeout });
    return this.checks()
      .locator('li[data-status]')
      .evaluateAll((rows) =>
        rows.map((row) => ({
          status: row.getAttribute('data-status') ?? '',
          text: (row as HTMLElement).innerText,
        })),
      );
  }

  runStatus(): Locator {
    return this.page.getByTestId('run-status');
  }
}
