/**
 * The Network view of the lesson page, fed by a scripted sandbox (Playwright answers the
 * WebSocket with a real run's worth of `packet` events: the recorded TCP session of lib/packets,
 * with the owners a run reports), and the `<SequenceDiagram capture>` a lesson embeds. Proves the
 * handshake arrows and labels, the header on focus and hover, keyboard moves, the table and the
 * socket states, the download, and saves light and dark screenshots for review.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser.ts';
import { LessonPage } from './support/lesson-page.ts';
import { sessionEvents } from './support/recorded-session.ts';
import { scriptRuns } from './support/scripted-sandbox.ts';

const appUrl = inject('appUrl');
const SCREENSHOTS = process.env.HANDSHAKE_E2E_SCREENSHOTS ?? '/tmp/handshake-e2e-screenshots';
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Answers the page's sandbox: each run starts server.py and a peer, then sends the packets
 * (and, with `truncated`, the capture's truncation notice).
 */
function scriptRun(page: Page, truncated = false) {
  const processes = [
    { name: 'server.py', kind: 'learner' as const, label: 'server.py' },
    { name: 'peer:client', kind: 'peer' as const, label: 'peer: client' },
  ];
  return scriptRuns(page, processes, (runId) => [
    ...sessionEvents(runId),
    ...(truncated
      ? [
          {
            type: 'capture-truncated' as const,
            runId,
            packets: 13,
            limit: 'packets' as const,
            notice: { code: 'capture-packet-limit' as const, params: { packets: 13 } },
          },
        ]
      : []),
  ]);
}

async function openNetwork(page: Page, truncated = false): Promise<LessonPage> {
  await scriptRun(page, truncated);
  const lesson = new LessonPage(page, appUrl);
  await lesson.open('en', 'tcp-server');
  await lesson.run();
  await page.getByTestId('network-count').getByText('13').waitFor();
  await page.getByRole('tab', { name: /^Network/ }).click();
  return lesson;
}

describe('the Network view of a run', () => {
  it('draws the handshake as SYN, SYN-ACK, ACK between the owners, labelled, with states', async () => {
    const { page, context, errors } = await openPage(browser);
    const lesson = await openNetwork(page);
    await page.getByTestId('sequence-diagram').scrollIntoViewIfNeeded();
    await lesson.scrollDiagramToHandshake();
    const heads = await page.getByTestId('lifeline').allInnerTexts();
    expect(heads.map((h) => h.split('\n')[0])).toEqual(['peer: client', 'server.py']);
    const handshake = page.getByTestId('phase-heading').first();
    // The windowed diagram draws the top rows once the scroll event has been handled.
    await expect.poll(() => handshake.textContent()).toContain('SYN → SYN-ACK → ACK');
    expect(await handshake.textContent()).toMatch(/Three-way handshake/i);
    const first = await page
      .getByTestId('arrow')
      .evaluateAll((arrows) =>
        arrows.slice(0, 3).map((a) => [a.getAttribute('data-n'), a.getAttribute('aria-label')]),
      );
    expect(first.map(([n]) => n)).toEqual(['1', '2', '3']);
    expect(first[0]![1]).toMatch(/^Packet 1 at 0\.000 ms, peer: client to server\.py: SYN, seq 0/);
    expect(first[1]![1]).toMatch(/server\.py to peer: client: SYN, ACK, seq 0, ack 1/);
    expect(first[1]![1]).toContain('server.py enters SYN_RECEIVED');
    expect(first[2]![1]).toMatch(/peer: client to server\.py: ACK, seq 1, ack 1/);
    const teardown = page.getByTestId('phase-heading').filter({ hasText: 'FIN → ACK → FIN → ACK' });
    expect(await teardown.textContent()).toMatch(/FIN\/ACK teardown/i);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the full header when an arrow has the focus or the pointer, and moves by keyboard', async () => {
    const { page, context } = await openPage(browser);
    const lesson = await openNetwork(page);
    await lesson.scrollDiagramToHandshake();
    const syn = page.locator('[data-testid="arrow"][data-n="1"]');
    await syn.focus();
    const card = page.getByTestId('header-card');
    await card.waitFor();
    const field = (name: string) => card.locator(`[data-field="${name}"] dd`).innerText();
    expect(await field('flags')).toBe('SYN');
    expect(await field('seq')).toBe('0');
    expect(await field('mss')).toBe('65495');
    expect(await field('wscale')).toBe('10');
    expect(await field('window')).toBe('65495');
    expect(await field('from')).toMatch(/^peer: client \(127\.0\.0\.1:\d+\)$/);
    expect(await syn.getAttribute('aria-describedby')).toBe(await card.getAttribute('id'));

    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-n')))
      .toBe('2');
    expect(await field('flags')).toBe('SYN, ACK');
    expect(await field('ack')).toBe('1');
    await page.keyboard.press('End');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-n')))
      .toBe('13');
    expect(await field('states')).toBe('· → CLOSED');

    await page.locator('[data-testid="arrow"][data-n="12"]').hover();
    await expect.poll(() => field('flags')).toBe('FIN, ACK');
    expect(await field('states')).toBe('LAST_ACK → TIME_WAIT');
    await context.close();
  });

  it('lists every packet in a table with a caption and column headers', async () => {
    const { page, context } = await openPage(browser);
    await openNetwork(page);
    await page.getByRole('tab', { name: 'Table' }).click();
    const table = page.getByRole('table', { name: 'Every packet of the capture (13)' });
    await table.waitFor();
    const headers = await table.locator('thead th').allInnerTexts();
    expect(headers.slice(0, 6).map((h) => h.toLowerCase())).toEqual([
      'no.',
      'time',
      'from',
      'to',
      'protocol',
      'flags',
    ]);
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(13);
    const firstThree = await rows.evaluateAll((trs) =>
      trs.slice(0, 3).map((tr) => [...tr.children].map((cell) => cell.textContent?.trim())),
    );
    expect(firstThree.map((cells) => cells[5])).toEqual(['SYN', 'SYN, ACK', 'ACK']);
    expect(firstThree[0]!.slice(2, 4)).toEqual([
      expect.stringMatching(/^peer: client :\d+$/),
      'server.py :5000',
    ]);
    expect(await rows.nth(3).innerText()).toContain('“hello\\n”');
    await context.close();
  });

  it('shows each end’s socket states, through the four-way teardown to TIME_WAIT', async () => {
    const { page, context } = await openPage(browser);
    await openNetwork(page);
    await page.getByRole('tab', { name: 'Socket states' }).click();
    const timeline = page.getByTestId('state-timelines');
    const row = (i: number) =>
      timeline.locator('tbody tr').nth(i).locator('[data-state]:not(td)').allInnerTexts();
    // allInnerTexts does not wait: poll until the view the click opened shows its rows.
    await expect
      .poll(() => row(0))
      .toEqual(['CLOSED*', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    expect(await row(1)).toEqual([
      'LISTEN*',
      'SYN_RECEIVED',
      'ESTABLISHED',
      'CLOSE_WAIT',
      'LAST_ACK',
      'CLOSED',
    ]);
    await timeline.getByText(/stays in TIME_WAIT/).waitFor();
    await context.close();
  });

  it('says so when the capture stopped at its limit', async () => {
    const { page, context } = await openPage(browser);
    await openNetwork(page, true);
    const notice = page.getByTestId('wire-panel').getByRole('status');
    expect(await notice.innerText()).toBe(
      'Capture stopped after 13 packets; the programs kept running.',
    );
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`looks right in the ${colorScheme} theme (screenshot)`, async () => {
      const { page, context } = await openPage(browser, { colorScheme });
      await page.addInitScript(() => localStorage.setItem('handshake:split:editor', '0.3'));
      const lesson = await openNetwork(page);
      await lesson.scrollDiagramToHandshake();
      await page.locator('[data-testid="arrow"][data-n="2"]').hover();
      await page.getByTestId('header-card').waitFor();
      const background = await page
        .getByTestId('wire-panel')
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(background).toBe(colorScheme === 'dark' ? 'rgb(21, 24, 29)' : 'rgb(255, 255, 255)');
      await page.screenshot({ path: path.join(SCREENSHOTS, `wire-${colorScheme}.png`) });
      await context.close();
    });
  }
});

describe('a recorded capture embedded in a lesson', () => {
  it('reads the shipped pcap, labels its owners, and offers it for download', async () => {
    const { page, context, errors } = await openPage(browser);
    await page.goto(`${appUrl}/en/lessons/wire`);
    const figure = page.getByTestId('embedded-diagram').first();
    await figure.getByTestId('lifeline').first().waitFor();
    expect(await figure.getByTestId('lifeline').allInnerTexts()).toEqual([
      'client.py\n127.0.0.1:40988',
      'server.py\n127.0.0.1:5000',
    ]);
    expect(await figure.getByTestId('phase-heading').first().textContent()).toContain(
      'SYN → SYN-ACK → ACK',
    );
    expect(await figure.getByTestId('packet-count').innerText()).toBe('13 packets');
    const link = figure.getByRole('link', { name: /Download \.pcap/ });
    expect(await link.getAttribute('download')).toBe('handshake.pcap');
    const response = await fetch(`${appUrl}${await link.getAttribute('href')}`);
    const magic = new Uint8Array(await response.arrayBuffer()).slice(0, 4);
    expect([...magic]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    expect((await fetch(`${appUrl}/en/lessons/wire/captures/..%2Fsecret.pcap`)).status).toBe(404);
    expect((await fetch(`${appUrl}/en/lessons/wire/captures/missing.pcap`)).status).toBe(404);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('binds the other <SequenceDiagram /> to the current run', async () => {
    const { page, context } = await openPage(browser);
    await scriptRun(page);
    const lesson = new LessonPage(page, appUrl);
    await lesson.open('en', 'wire');
    const live = page.getByTestId('embedded-diagram').nth(1);
    await live.getByText('No packets yet').waitFor();
    await lesson.run();
    await live.getByTestId('packet-count').getByText('13 packets').waitFor();
    await live.getByTestId('lifeline').first().waitFor();
    expect((await live.getByTestId('lifeline').allInnerTexts())[0]).toMatch(/^peer: client/);
    await context.close();
  });
});
