/**
 * The core loop in a real browser against the real sandbox: open the TCP server lesson, type the
 * solution into Monaco, press Run, watch the server's output arrive in xterm, see the checks pass
 * and the run's own handshake drawn in the Network view.
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

describe('TCP server lesson', () => {
  it.skipIf(needsRealSandbox)(
    'runs the solution typed into Monaco, streams its output into xterm and passes the checks',
    async () => {
      const { page, external, errors } = await openPage(browser);
      const lesson = new LessonPage(page, appUrl);
      await lesson.open('en', 'tcp-server');
      const solution = readFileSync(
        path.join(inject('contentDir'), '03-tcp-server', 'solution', 'server.py'),
        'utf8',
      );
      await lesson.setCode(solution);
      const lastLine = solution.trimEnd().split('\n').at(-1)!.trim();
      expect(await lesson.editorText()).toContain(lastLine);

      await page.keyboard.press('ControlOrMeta+Enter');
      await lesson.waitForTerminalText('server.py', /listening on 127\.0\.0\.1:8080/);
      await lesson.page.locator('[data-process^="peer:"]').first().waitFor();

      await lesson.checks().waitFor({ timeout: 30_000 });
      const statuses = await lesson
        .checks()
        .locator('li[data-status]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.every((status) => status === 'pass')).toBe(true);
      await expect(lesson.processStatus('server.py').getAttribute('data-status')).resolves.toBe(
        'exited',
      );
      expect(await lesson.processStatus('server.py').innerText()).toBe('exit 0');

      // The run's real packets: the test client's handshake with the chunking proxy in front of
      // the learner's server (the proxy's own connection to server.py follows).
      await page.getByRole('tab', { name: /^Network/ }).click();
      const diagram = page.getByTestId('sequence-diagram');
      await diagram.waitFor();
      await diagram.evaluate((el) => (el.scrollTop = 0)); // it follows the newest packet
      // The diagram renders only the rows in view: wait for the top rows after scrolling there
      // (the first of the two handshakes).
      await page
        .getByTestId('phase-heading')
        .filter({ hasText: 'SYN → SYN-ACK → ACK' })
        .first()
        .waitFor();
      const label = async (n: number) => {
        const arrow = page.locator(`[data-testid="arrow"][data-n="${n}"]`);
        await arrow.waitFor();
        return arrow.getAttribute('aria-label');
      };
      expect(await label(1)).toMatch(/peer: client to peer: proxy: SYN\b/);
      expect(await label(2)).toMatch(/peer: proxy to peer: client: SYN, ACK/);
      expect(await label(3)).toMatch(/peer: client to peer: proxy: ACK/);
      expect(external).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it.skipIf(needsRealSandbox)(
    'reports the starter code as failing with the first problem shown',
    async () => {
      const { page } = await openPage(browser);
      const lesson = new LessonPage(page, appUrl);
      await lesson.open('en', 'tcp-server');
      await lesson.run();
      await lesson.checks().waitFor({ timeout: 30_000 });
      await expect(lesson.checks().getByRole('alert').innerText()).resolves.toMatch(
        /First problem/i,
      );
      await page.context().close();
    },
  );
});
