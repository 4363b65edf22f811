/**
 * The Network view's connection timeline against scripted runs: ten connections a concurrent
 * server answers interleaved, the same ten a sequential server answers one after another, and
 * 100 connections in 5 600 packets. The lanes' data attributes say how their serving spans
 * overlap; the table alternative lists the same times; the keyboard moves between lanes; and the
 * big capture is drawn fast with only the lanes in view in the DOM.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { syntheticCapture } from '../../lib/client/wire/synthetic-capture.ts';
import type { SyntheticOptions } from '../../lib/client/wire/synthetic-capture.ts';
import type { WirePacket } from '../../lib/client/wire/wire-packet.ts';
import { launchBrowser, openPage } from './support/browser.ts';
import { LessonPage } from './support/lesson-page.ts';
import { scriptRuns } from './support/scripted-sandbox.ts';

const appUrl = inject('appUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A crowd peer's connections to server.py, as the synthetic capture shapes them. */
function crowdCapture(options: SyntheticOptions): WirePacket[] {
  const crowd = (owner: string | undefined) => (owner === 'client.py' ? 'peer:crowd' : owner);
  return syntheticCapture(options).map((packet) => ({
    ...packet,
    srcOwner: crowd(packet.srcOwner)!,
    dstOwner: crowd(packet.dstOwner)!,
  }));
}

/** Scripts every Run to send `packets`, then opens the lesson's Network › Timeline view. */
async function openTimeline(page: Page, packets: WirePacket[]): Promise<void> {
  const processes = [
    { name: 'peer:crowd', kind: 'peer' as const, label: 'peer: crowd' },
    { name: 'server.py', kind: 'learner' as const, label: 'server.py' },
  ];
  await scriptRuns(page, processes, (runId) =>
    packets.map((packet) => ({ type: 'packet' as const, runId, ...packet })),
  );
  const lesson = new LessonPage(page, appUrl);
  await lesson.open('en', 'tcp-server');
  await lesson.run();
  await page
    .getByTestId('network-count')
    .getByText(packets.length.toLocaleString('en'))
    .waitFor({ timeout: 60_000 });
  await page.getByRole('tab', { name: /^Network/ }).click();
  await page.getByTestId('wire-panel').getByRole('tab', { name: 'Timeline' }).click();
  await page.getByTestId('timeline-lane').first().waitFor();
}

/** Each lane's connection, overlap count and serving span, from its data attributes. */
function lanes(page: Page) {
  return page.getByTestId('timeline-lane').evaluateAll((elements) =>
    elements.map((element) => ({
      conn: Number(element.getAttribute('data-conn')),
      overlaps: Number(element.getAttribute('data-overlaps')),
      from: Number(element.getAttribute('data-served-from')),
      to: Number(element.getAttribute('data-served-to')),
    })),
  );
}

const TEN = { connections: 10, exchanges: 4 };

describe('the connection timeline', () => {
  it('shows ten interleaved connections overlapping, reachable by keyboard', async () => {
    const { page, context, errors } = await openOrdered(TEN, 'interleaved');
    const timeline = page.getByTestId('connection-timeline');
    expect(await timeline.getAttribute('data-peak')).toBe('10');
    const drawn = await lanes(page);
    expect(drawn.map((lane) => lane.conn)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(drawn.map((lane) => lane.overlaps)).toEqual(Array(10).fill(9));
    await expect
      .poll(() => timeline.innerText())
      .toContain('10 TCP connections, answered concurrently: up to 10 at the same time.');
    const third = page.locator('[data-testid="timeline-lane"][data-conn="3"]');
    expect(await third.innerText()).toMatch(/^peer: crowd #3\s*→\s*server\.py$/);
    expect(await third.getAttribute('aria-label')).toMatch(
      /^Connection 3, peer: crowd #3 to server\.py: accepted [\d.]+ ms, first byte [\d.]+ ms, .* answered alongside 9 other connections\.$/,
    );

    // One tab stop for the lanes; arrows, End and Home move between them.
    await page.getByTestId('timeline-lane').first().focus();
    const focusedConn = () =>
      page.evaluate(() => document.activeElement?.getAttribute('data-conn'));
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedConn).toBe('2');
    await page.keyboard.press('End');
    await expect.poll(focusedConn).toBe('10');
    await page.keyboard.press('Home');
    await expect.poll(focusedConn).toBe('1');
    expect(await page.locator('[data-testid="timeline-lane"][tabindex="0"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows ten serialized connections one after another, and lists them in a table', async () => {
    const { page, context, errors } = await openOrdered(TEN, 'sequential');
    const timeline = page.getByTestId('connection-timeline');
    expect(await timeline.getAttribute('data-peak')).toBe('1');
    const drawn = await lanes(page);
    expect(drawn.map((lane) => lane.overlaps)).toEqual(Array(10).fill(0));
    // A staircase: each lane is served after the one above it was.
    for (let i = 1; i < drawn.length; i++) expect(drawn[i]!.from).toBeGreaterThan(drawn[i - 1]!.to);
    await expect
      .poll(() => timeline.innerText())
      .toContain('answered one after another: the server never answered two at once.');

    await page.getByTestId('timeline-as-table').click();
    const table = page.getByTestId('timeline-table');
    await table.waitFor();
    expect(await table.locator('thead th').allInnerTexts()).toEqual([
      'Connection',
      'Accepted',
      'First byte',
      'Last byte',
      'Closed',
      'Bytes to server',
      'Bytes back',
      'Answered alongside',
    ]);
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(10);
    const cells = await rows.nth(2).locator('th, td').allInnerTexts();
    expect(cells[0]).toBe('3 · peer: crowd #3 → server.py');
    for (const time of cells.slice(1, 4)) expect(time).toMatch(/^[\d.]+ ms$/);
    expect(cells[4]).toMatch(/^[\d.]+ ms \(FIN both ways\)$/);
    const bytes = [0, 1, 2, 3].reduce((sum, e) => sum + `line ${e} of 3\n`.length, 0);
    expect(cells.slice(5)).toEqual([`${bytes} B`, `${bytes} B`, '0']);
    // The times ascend across the row: accepted ≤ first byte ≤ last byte ≤ closed.
    const times = cells.slice(1, 5).map((cell) => parseFloat(cell));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('draws 100 connections in 5 600 packets quickly, with only the lanes in view', async () => {
    const packets = crowdCapture({ connections: 100, exchanges: 10, burst: 6 });
    expect(packets.length).toBe(5600);
    const { page, context } = await openPage(browser);
    await openTimeline(page, packets);
    await page.getByRole('tab', { name: 'Table', exact: true }).click();
    // Mount the timeline with every packet there: one full derivation and render.
    const mount = await page.evaluate(async () => {
      const begin = performance.now();
      (document.querySelector('[data-view="timeline"]') as HTMLElement).click();
      await new Promise(requestAnimationFrame);
      await new Promise(requestAnimationFrame);
      return {
        ms: performance.now() - begin,
        lanes: document.querySelectorAll('[data-testid="timeline-lane"]').length,
        peak: document
          .querySelector('[data-testid="connection-timeline"]')
          ?.getAttribute('data-peak'),
      };
    });
    const scroll = await page.evaluate(async () => {
      const box = document.querySelector('[data-testid="timeline-lanes"]')!;
      const frames = 60;
      const step = (box.scrollHeight - box.clientHeight) / frames;
      const times: number[] = [];
      let last = performance.now();
      for (let i = 1; i <= frames; i++) {
        box.scrollTop = step * i;
        await new Promise(requestAnimationFrame);
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      times.sort((a, b) => a - b);
      return { p95: times[Math.floor(times.length * 0.95)]!, max: times.at(-1)! };
    });
    await page.locator('[data-testid="timeline-lane"][data-conn="100"]').waitFor();
    console.log(
      `connection timeline (100 connections, 5 600 packets): ${JSON.stringify({ mount, scroll })}`,
    );
    expect(mount.peak).toBe('1');
    expect(mount.lanes).toBeGreaterThan(0);
    expect(mount.lanes).toBeLessThan(60);
    expect(mount.ms).toBeLessThan(1500);
    expect(scroll.p95).toBeLessThan(120);
    await context.close();
  });
});

/** A fresh page showing the timeline of ten connections in `order`. */
async function openOrdered(options: SyntheticOptions, order: SyntheticOptions['order']) {
  const opened = await openPage(browser);
  await openTimeline(opened.page, crowdCapture({ ...options, order }));
  return opened;
}
