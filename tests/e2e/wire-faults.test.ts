/**
 * Faults in the Network view, fed by a scripted sandbox: a UDP run through a relay whose `fault`
 * events come before or after the packets they concern. Proves the lost arrow and the fault tags
 * on the right packets, the header card naming the fault, and the seed with "Re-run with seed
 * N" (whose request carries the seed, while Run does not).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../lib/protocol.ts';
import type { ClientMessage, ServerMessage } from '../../lib/protocol.ts';
import { launchBrowser, openPage } from './support/browser.ts';
import { LessonPage } from './support/lesson-page.ts';

const appUrl = inject('appUrl');
const limits = { wallSeconds: 10, outputBytes: 65536 };
const SEED = 3948730756;
const SCREENSHOTS = process.env.HANDSHAKE_E2E_SCREENSHOTS ?? '/tmp/handshake-e2e-screenshots';
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

const udp = (runId: string, n: number, sport: number, dport: number, preview: string) =>
  ({
    type: 'packet',
    runId,
    n,
    t: n,
    proto: 'udp',
    src: '127.0.0.1',
    dst: '127.0.0.1',
    sport,
    dport,
    len: 6,
    preview,
    conn: sport === 40000 || dport === 40000 ? 1 : 2,
    srcOwner: { 40000: 'client.py', 9000: 'peer:relay', 50000: 'peer:relay', 9001: 'peer:echo' }[
      sport
    ],
    dstOwner: { 40000: 'client.py', 9000: 'peer:relay', 50000: 'peer:relay', 9001: 'peer:echo' }[
      dport
    ],
  }) as ServerMessage;

const fault = (runId: string, change: Record<string, unknown>) =>
  ({
    type: 'fault',
    runId,
    process: 'peer:relay',
    t: 2,
    proto: 'udp',
    action: 'dropped',
    from: '127.0.0.1:40000',
    to: '127.0.0.1:9000',
    index: 2,
    bytes: 6,
    note: {
      code: 'fault-datagram-dropped',
      params: {
        index: 2,
        from: '127.0.0.1:40000',
        bytes: 6,
        toward: '127.0.0.1:9001',
        back: false,
        queueFull: false,
      },
    },
    ...change,
  }) as ServerMessage;

/** Answers every run with the relay's packets and faults; records the run requests. */
async function scriptRun(page: Page, requests: ClientMessage[]): Promise<void> {
  await page.routeWebSocket(
    (url) => url.pathname === '/ws',
    (socket) => {
      const send = (m: ServerMessage) => socket.send(JSON.stringify(m));
      send({ type: 'hello', protocol: PROTOCOL_VERSION, limits, maxMessageBytes: 262144 });
      socket.onMessage((raw) => {
        const message = JSON.parse(String(raw)) as ClientMessage;
        if (message.type !== 'run') return;
        requests.push(message);
        const { runId } = message;
        send({
          type: 'run-started',
          runId,
          limits,
          seed: message.seed ?? SEED,
          processes: [
            { name: 'peer:echo', kind: 'peer', label: 'peer: echo' },
            { name: 'peer:relay', kind: 'peer', label: 'peer: relay' },
            { name: 'client.py', kind: 'learner', label: 'client.py' },
          ],
        });
        // The drop is told before its datagram is captured; the delay after.
        send(fault(runId, {}));
        send(udp(runId, 1, 40000, 9000, 'msg 01'));
        send(udp(runId, 2, 40000, 9000, 'msg 02'));
        send(udp(runId, 3, 50000, 9001, 'msg 01'));
        send(udp(runId, 4, 9001, 50000, 'msg 01'));
        send(
          fault(runId, {
            action: 'delayed',
            delayMs: 40,
            from: '127.0.0.1:9001',
            to: '127.0.0.1:50000',
            index: 1,
            note: {
              code: 'fault-datagram-delayed',
              params: {
                index: 1,
                from: '127.0.0.1:9001',
                bytes: 6,
                toward: '127.0.0.1:40000',
                back: true,
                delayMs: 40,
              },
            },
          }),
        );
        send(udp(runId, 5, 9000, 40000, 'msg 01'));
        const notice = { code: 'run-completed', params: {} } as const;
        send({ type: 'run-finished', runId, reason: 'completed', notice, durationMs: 90 });
      });
    },
  );
}

describe('faults in the Network view', () => {
  it('draws the dropped datagram as lost and tags the delayed one, with the fault in its header', async () => {
    const { page, context, errors } = await openPage(browser);
    await scriptRun(page, []);
    const lesson = new LessonPage(page, appUrl);
    await lesson.open('en', 'tcp-server');
    await lesson.run();
    await page.getByTestId('network-count').getByText('5').waitFor();
    await page.getByRole('tab', { name: /^Network/ }).click();
    const arrow = (n: number) => page.locator(`[data-testid="arrow"][data-n="${n}"]`);
    await arrow(5).waitFor();
    expect(await arrow(2).getAttribute('data-kind')).toBe('dropped');
    expect(await arrow(2).getAttribute('aria-label')).toContain('lost');
    expect(await arrow(4).getAttribute('data-kind')).toBe('fault');
    expect(await arrow(4).getAttribute('aria-label')).toContain('delayed 40 ms');
    expect(await arrow(1).getAttribute('data-kind')).toBe('udp');
    expect(await arrow(3).getAttribute('data-kind')).toBe('udp');

    await arrow(4).focus();
    const card = page.getByTestId('header-card');
    await card.waitFor();
    expect(await card.locator('[data-fault]').allTextContents()).toEqual(['delayed 40 ms']);
    expect(await card.locator('[data-field="fault"] dd').innerText()).toBe(
      'peer: relay: delayed datagram #1 from 127.0.0.1:9001 (6 bytes) by 40 ms, on its way back to 127.0.0.1:40000',
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wire-faults.png') });
    await arrow(2).focus();
    await expect.poll(() => card.locator('[data-fault]').allTextContents()).toEqual(['lost']);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the seed, and Re-run with seed N repeats it while Run asks for a new one', async () => {
    const { page, context } = await openPage(browser);
    const requests: ClientMessage[] = [];
    await scriptRun(page, requests);
    const lesson = new LessonPage(page, appUrl);
    await lesson.open('en', 'tcp-server');
    await lesson.run();
    const seed = page.getByTestId('run-seed');
    await seed.getByText(`Seed ${SEED}`, { exact: true }).waitFor();
    await seed.getByRole('button', { name: `Re-run with seed ${SEED}` }).click();
    await expect.poll(() => requests.length).toBe(2);
    await lesson.run();
    await expect.poll(() => requests.length).toBe(3);
    expect(requests.map((request) => (request.type === 'run' ? request.seed : null))).toEqual([
      undefined,
      SEED,
      undefined,
    ]);
    await context.close();
  });
});
