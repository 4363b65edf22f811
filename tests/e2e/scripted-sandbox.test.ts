/**
 * The lesson page against a scripted sandbox (Playwright answers the WebSocket itself), for what
 * a real sandbox does rarely or not on demand: a queue, a time limit, stderr, mixed check
 * results, events of a replaced run, and the connection dropping mid-run.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ClientMessage } from '../../lib/protocol.ts';
import { launchBrowser, openPage } from './support/browser.ts';
import { LessonPage } from './support/lesson-page.ts';
import { SCRIPTED_LIMITS as limits, scriptSandbox } from './support/scripted-sandbox.ts';
import type { Script } from './support/scripted-sandbox.ts';

const appUrl = inject('appUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('lesson page with a scripted sandbox', () => {
  it('tells the sandbox which lesson it shows, so a sandbox can be made ahead', async () => {
    const { page, context, errors } = await openPage(browser);
    const received: ClientMessage[] = [];
    await scriptSandbox(page, (_socket, message) => void received.push(message));
    const lesson = new LessonPage(page, appUrl);
    await lesson.open('zh', 'tcp-server');
    await expect.poll(() => received).toEqual([{ type: 'viewing', lesson: 'tcp-server' }]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the queue, live output (stderr in red), statuses, checks and the time limit', async () => {
    const { page, context, errors } = await openPage(browser);
    let showPosition = () => {};
    const positionShown = new Promise<void>((resolve) => (showPosition = resolve));
    let showOutput = () => {};
    const outputShown = new Promise<void>((resolve) => (showOutput = resolve));
    await scriptSandbox(page, async (_socket, message, send) => {
      if (message.type !== 'run') return;
      const { runId } = message;
      send({ type: 'queued', runId, position: 2 });
      await positionShown;
      send({
        type: 'run-started',
        seed: 7,
        runId,
        limits,
        processes: [
          { name: 'peer:echo', kind: 'peer', label: 'peer: echo' },
          { name: 'client.py', kind: 'learner', label: 'client.py' },
        ],
      });
      send({ type: 'process-started', runId, process: 'peer:echo', at: 1 });
      send({ type: 'process-started', runId, process: 'client.py', at: 5 });
      send({
        type: 'output',
        runId,
        process: 'peer:echo',
        stream: 'stdout',
        data: 'echo: listening\n',
      });
      send({
        type: 'output',
        runId: 'old-run-00000',
        process: 'client.py',
        stream: 'stdout',
        data: 'STALE\n',
      });
      send({ type: 'output', runId, process: 'client.py', stream: 'stdout', data: 'hello\n' });
      send({ type: 'output', runId, process: 'client.py', stream: 'stderr', data: 'oops\n' });
      await outputShown; // the processes end only once the test has seen their live output
      const exited = { type: 'process-exited', runId, signal: null, durationMs: 10_000 } as const;
      send({ ...exited, process: 'client.py', end: 'killed', exitCode: null, signal: 'SIGKILL' });
      send({ ...exited, process: 'peer:echo', end: 'stopped', exitCode: null });
      send({
        type: 'checks',
        runId,
        results: [
          { id: 'connect', title: 'Connects', status: 'pass', message: 'Your client connected.' },
          {
            id: 'echo',
            title: 'Prints the echo',
            status: 'fail',
            message: 'Expected the echo on stdout.',
            details: 'expected: hello, handshake\nreceived: (nothing)',
          },
          {
            id: 'close',
            title: 'Closes cleanly',
            status: 'error',
            message: 'The check itself failed.',
            details: 'TypeError: x is undefined',
          },
        ],
      });
      send({
        type: 'run-finished',
        runId,
        reason: 'time-limit',
        notice: { code: 'time-limit', params: { seconds: 10 } },
        durationMs: 10_000,
      });
    });
    const lesson = new LessonPage(page, appUrl);
    await lesson.open('en', 'tcp-client');
    await lesson.run();

    await page.getByTestId('run-status').getByText('position 2 in the queue').waitFor();
    showPosition();

    const text = await lesson.waitForTerminalText('client.py', /oops/);
    expect(text).toContain('hello');
    expect(text).not.toContain('STALE');
    await lesson
      .terminal('client.py')
      .locator('.xterm-rows span.xterm-fg-1', { hasText: 'oops' })
      .waitFor();
    await lesson.waitForTerminalText('peer:echo', /echo: listening/);
    expect(await lesson.processStatus('client.py').getAttribute('data-status')).toBe('running');
    showOutput();

    await page
      .getByText('Time limit of 10 s reached: the run was stopped.', { exact: true })
      .waitFor();
    expect(await lesson.processStatus('client.py').innerText()).toBe('killed');
    expect(await lesson.processStatus('peer:echo').innerText()).toBe('stopped');

    const checks = lesson.checks();
    await checks.getByText('1 of 3 passed').waitFor();
    const first = checks.getByRole('alert');
    expect(await first.innerText()).toContain('Prints the echo');
    expect(await first.innerText()).toContain('received: (nothing)');
    const errorDetails = checks.locator('li[data-status="error"] details');
    expect(await errorDetails.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await errorDetails.locator('summary').click();
    await errorDetails.getByText('TypeError: x is undefined').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says so when the sandbox drops, keeps the code, and reconnects by itself', async () => {
    const { page, context } = await openPage(browser);
    // The page reconnects within a second; its new connection gets no hello until the test has
    // seen the page disconnected, so what it reads then cannot have changed under it.
    let letReconnect = () => {};
    const reconnectLet = new Promise<void>((resolve) => (letReconnect = resolve));
    const script: Script = (_socket, message, send) => {
      if (message.type !== 'run') return;
      send({
        type: 'run-started',
        seed: 7,
        runId: message.runId,
        limits,
        processes: [{ name: 'client.py', kind: 'learner', label: 'client.py' }],
      });
      send({ type: 'process-started', runId: message.runId, process: 'client.py', at: 0 });
    };
    const sockets = await scriptSandbox(page, script, {
      helloWhen: (index) => (index > 0 ? reconnectLet : undefined),
    });
    const lesson = new LessonPage(page, appUrl);
    await lesson.open('en', 'tcp-client');
    await lesson.setCode('print("keep me")\n');
    await lesson.run();
    await lesson.processStatus('client.py').and(page.locator('[data-status="running"]')).waitFor();

    await sockets[0]!.close({ code: 1011, reason: 'server restarting' });
    await page.getByText('Sandbox disconnected — reconnecting…').waitFor();
    await page
      .getByTestId('run-status')
      .getByText('The connection to the sandbox dropped')
      .waitFor();
    expect(await lesson.runButton().isDisabled()).toBe(true);

    letReconnect();
    await page.locator('[data-state="ready"]').waitFor({ timeout: 15_000 });
    expect(sockets.length).toBeGreaterThan(1);
    expect(await lesson.editorText()).toContain('print("keep me")');
    expect(await lesson.runButton().isDisabled()).toBe(false);
    await context.close();
  });

  it('names the setting to fix when the sandbox refuses the page origin', async () => {
    const { page, context } = await openPage(browser);
    await page.routeWebSocket(
      (url) => url.pathname === '/ws',
      (socket) => socket.close({ code: 4003, reason: 'origin not allowed' }),
    );
    await page.goto(`${appUrl}/en/lessons/tcp-client`);
    await page.getByText(/HANDSHAKE_ALLOWED_ORIGINS/).waitFor();
    await context.close();
  });
});
