/**
 * The Network view with thousands of packets: a scripted sandbox streams 5 600 `packet` events
 * (100 connections, each with a handshake, ten exchanges, a burst and a teardown) and the test
 * measures in Chromium how long they take to arrive and be drawn, how many arrows are in the DOM
 * (windowing), and the frame times while scrolling from top to bottom and through the table.
 * The figures are printed for docs/benchmarks.md; the bounds are loose (CI machines vary).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { syntheticCapture } from '../../lib/client/wire/synthetic-capture.ts';
import { launchBrowser, openPage } from './support/browser.ts';
import { LessonPage } from './support/lesson-page.ts';
import { scriptRuns } from './support/scripted-sandbox.ts';

const appUrl = inject('appUrl');
const PACKETS = syntheticCapture({ connections: 100, exchanges: 10, burst: 6 });
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

function scriptFlood(page: Page) {
  const processes = [
    { name: 'server.py', kind: 'learner' as const, label: 'server.py' },
    { name: 'client.py', kind: 'learner' as const, label: 'client.py' },
  ];
  return scriptRuns(page, processes, (runId) =>
    PACKETS.map((packet) => ({ type: 'packet' as const, runId, ...packet })),
  );
}

/**
 * Notes when `packet` messages reach the page (to tell the transport's pace from the app's)
 * and how long the main thread was busy in long tasks while they came.
 */
async function instrument(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const stats = { first: 0, last: 0, count: 0, busy: 0, longTasks: 0 };
    Object.assign(window, { __wire: stats });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        stats.busy += entry.duration;
        stats.longTasks += 1;
      }
    }).observe({ type: 'longtask' });
    const Base = window.WebSocket;
    window.WebSocket = class extends Base {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        this.addEventListener('message', (event) => {
          if (typeof event.data !== 'string' || !event.data.startsWith('{"type":"packet"')) return;
          const now = performance.now();
          if (stats.count === 0) stats.first = now;
          stats.last = now;
          stats.count += 1;
        });
      }
    };
  });
}

/** Scrolls `selector` from top to bottom over `frames` animation frames; frame times in ms. */
function scrollFrames(page: Page, selector: string, frames: number) {
  return page.evaluate(
    async ([selector, frames]) => {
      const box = document.querySelector(selector as string)!;
      box.scrollTop = 0;
      const step = (box.scrollHeight - box.clientHeight) / (frames as number);
      const times: number[] = [];
      let longTasks = 0;
      const observer = new PerformanceObserver((list) => (longTasks += list.getEntries().length));
      observer.observe({ type: 'longtask', buffered: false });
      let last = performance.now();
      for (let i = 1; i <= (frames as number); i++) {
        box.scrollTop = step * i;
        await new Promise(requestAnimationFrame);
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      observer.disconnect();
      times.sort((a, b) => a - b);
      const mean = times.reduce((a, b) => a + b, 0) / times.length;
      return {
        mean,
        p95: times[Math.floor(times.length * 0.95)]!,
        max: times.at(-1)!,
        longTasks,
        atEnd: box.scrollTop + box.clientHeight >= box.scrollHeight - 2,
      };
    },
    [selector, frames] as const,
  );
}

describe('the Network view with thousands of packets', () => {
  it('draws 5 600 packets, keeps the DOM small and scrolls smoothly', async () => {
    expect(PACKETS.length).toBe(5600);
    const { page, context, errors } = await openPage(browser);
    await scriptFlood(page);
    await instrument(page);
    const lesson = new LessonPage(page, appUrl);
    await lesson.open('en', 'tcp-server');
    await page.getByRole('tab', { name: /^Network/ }).click();
    await page.evaluate(() => {
      const stats = (window as unknown as { __wire: { busy: number; longTasks: number } }).__wire;
      stats.busy = 0;
      stats.longTasks = 0;
    });
    await lesson.run();
    await page.getByTestId('packet-count').getByText('5,600 packets').waitFor({ timeout: 60_000 });
    await page.getByTestId('arrow').first().waitFor();
    const streamed = await page.evaluate(() => {
      const stats = (window as unknown as { __wire: Record<string, number> }).__wire;
      return {
        packets: stats.count,
        arrivalMs: stats.last! - stats.first!,
        drawnAfterLastMs: performance.now() - stats.last!,
        longTaskMs: stats.busy,
        longTasks: stats.longTasks,
      };
    });

    // Re-mount the diagram with every packet already there: the cost of one full layout + render.
    await page.getByRole('tab', { name: 'Table' }).click();
    const remount = await page.evaluate(async () => {
      const begin = performance.now();
      (document.querySelector('[data-view="diagram"]') as HTMLElement).click();
      await new Promise(requestAnimationFrame);
      await new Promise(requestAnimationFrame);
      return {
        ms: performance.now() - begin,
        arrows: document.querySelectorAll('[data-testid="arrow"]').length,
        nodes: document.querySelector('[data-testid="sequence-diagram"]')!.querySelectorAll('*')
          .length,
      };
    });
    const diagram = await scrollFrames(page, '[data-testid="sequence-diagram"]', 240);
    // The last scroll's rows are drawn on a later frame than the scroll: wait for them.
    await page.locator('[data-testid="arrow"][data-n="5600"]').waitFor();
    const lastArrow = await page.getByTestId('arrow').last().getAttribute('data-n');

    await page.getByRole('tab', { name: 'Table' }).click();
    const tableRows = await page.locator('[data-testid="packet-table"] tbody tr').count();
    const table = await scrollFrames(page, '[data-testid="packet-table"]', 60);

    const figures = { streamed, remount, diagram, tableRows, table };
    console.log(`wire performance (5 600 packets): ${JSON.stringify(figures, null, 1)}`);
    expect(streamed.packets).toBe(5600);
    expect(remount.arrows).toBeGreaterThan(0);
    expect(remount.arrows).toBeLessThan(60);
    expect(diagram.atEnd).toBe(true);
    expect(lastArrow).toBe('5600');
    expect(tableRows).toBe(100);
    expect(remount.ms).toBeLessThan(1500);
    expect(diagram.p95).toBeLessThan(120);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('filters one connection and opens a collapsed burst', async () => {
    const { page, context } = await openPage(browser);
    await scriptFlood(page);
    const lesson = new LessonPage(page, appUrl);
    await lesson.open('en', 'tcp-server');
    await lesson.run();
    await page.getByTestId('network-count').getByText('5,600').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: /^Network/ }).click();
    await page.getByTestId('wire-panel').getByRole('combobox').selectOption('42');
    // The filtered diagram follows its last packet; from its start, the first arrow drawn is the
    // SYN (before the scroll's rows are drawn, it could be one about to leave the DOM).
    await lesson.scrollDiagramToHandshake();
    await expect
      .poll(() => page.getByTestId('lifeline').allInnerTexts())
      .toEqual(['client.py\n127.0.0.1:40042', 'server.py\n127.0.0.1:9000']);
    // From the first arrow to the last, then up past the teardown to the collapsed burst.
    await page.getByTestId('arrow').first().focus();
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement;
        return [element?.getAttribute('data-kind'), element?.getAttribute('aria-expanded')];
      });
    await page.keyboard.press('End');
    await expect.poll(focused).toEqual(['teardown', null]);
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowUp');
    await expect.poll(focused).toEqual(['burst', 'false']);
    const burst = page.getByTestId('burst');
    expect(await burst.getAttribute('aria-label')).toMatch(/^Burst of 6 data segments, 8\.5 KiB/);
    const before = await page.getByTestId('arrow').count();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toEqual(['burst', 'true']);
    await expect.poll(() => page.getByTestId('arrow').count()).toBeGreaterThan(before);
    await context.close();
  });
});
