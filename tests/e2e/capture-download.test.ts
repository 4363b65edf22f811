/**
 * A run's capture in a real browser against the real sandbox: the Network view offers it as a
 * "Download .pcap" link once the run has ended, and what Chromium saves is a pcap that tcpdump
 * and lib/packets read, with the run's handshake in it. And a learner program that floods its
 * loopback: the capture stops at the cap with its notice, the page stays usable meanwhile (tabs
 * switch, the editor takes keystrokes), and the packet count stays at the cap. Last, against a
 * scripted sandbox, the link's states: disabled while the run goes on, then ready, then expired.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parsePcap } from '../../lib/packets/parse-pcap.ts';
import { TCPDUMP } from '../../sandbox-server/capture/tcpdump-command.ts';
import { CAPTURE_DEFAULTS } from '../../sandbox-server/capture/capture-limits.ts';
import { launchBrowser, openPage } from './support/browser.ts';
import { LessonPage } from './support/lesson-page.ts';
import { COMPLETED, SCRIPTED_LIMITS, scriptSandbox } from './support/scripted-sandbox.ts';

const appUrl = inject('appUrl');
const needsRealSandbox = inject('sandboxKind') !== 'real';
const CAP = CAPTURE_DEFAULTS.maxPackets;
/**
 * Generous: on a busy 2-core machine mounting the diagram of 10 000 packets alone takes ~3 s;
 * a page frozen by the flood would not answer at all.
 */
const RESPONSIVE_MS = 10_000;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * UDP datagrams to itself for four seconds: tens of thousands of packets on the loopback. Its
 * port is ephemeral, so the run does not take it for a quiet server and end it early.
 */
const FLOOD = `import socket, time

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
me = s.getsockname()
print("flooding", me, flush=True)
end = time.monotonic() + 4
while time.monotonic() < end:
    s.sendto(b"x" * 100, me)
print("done")
`;

function networkTab(page: Page) {
  return page.getByRole('tab', { name: /^Network/ });
}

/** Clicks the ready download link and returns the saved file and the name Chromium gave it. */
async function download(page: Page): Promise<{ name: string; bytes: Uint8Array }> {
  const link = page.locator('[data-testid="pcap-download"][data-offer="ready"]');
  await link.waitFor({ timeout: 30_000 });
  const [saved] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = await saved.path();
  return { name: saved.suggestedFilename(), bytes: new Uint8Array(readFileSync(file)) };
}

/** How long `action` takes, in ms. */
async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

describe('downloading a run’s capture', () => {
  it.skipIf(needsRealSandbox)(
    'offers the run’s pcap in the Network view once it ends, and the saved file parses',
    async () => {
      const { page, context, errors } = await openPage(browser);
      const lesson = new LessonPage(page, appUrl);
      await lesson.open('en', 'tcp-client');
      const solution = readFileSync(
        path.join(inject('contentDir'), '02-tcp-client', 'solution', 'client.py'),
        'utf8',
      );
      await lesson.setCode(solution);
      await lesson.run();
      await lesson.checks().waitFor({ timeout: 30_000 });
      await networkTab(page).click();

      const link = page.getByRole('link', { name: /^Download \.pcap \d+(\.\d)? (B|KiB)$/ });
      await link.waitFor({ timeout: 30_000 });
      expect(await link.evaluate((element) => element.tagName)).toBe('A');
      expect(await link.getAttribute('download')).toMatch(
        /^handshake-tcp-client-[A-Za-z0-9_-]+\.pcap$/,
      );
      const href = new URL((await link.getAttribute('href'))!);
      expect(href.pathname).toMatch(/^\/capture\/[A-Za-z0-9_-]+\.pcap$/);
      expect(href.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{22,}$/);

      const saved = await download(page);
      expect(saved.name).toBe(await link.getAttribute('download'));
      const parsed = parsePcap(saved.bytes);
      expect(parsed).toMatchObject({ error: null, leftoverBytes: 0 });
      const shown = Number((await page.getByTestId('network-count').innerText()).replace(/,/g, ''));
      expect(parsed.packets).toHaveLength(shown);
      expect(parsed.packets.slice(0, 3).map((p) => p.flags?.join('-'))).toEqual([
        'SYN',
        'SYN-ACK',
        'ACK',
      ]);
      const read = spawnSync(TCPDUMP, ['-r', '-', '-nn'], { input: saved.bytes });
      expect(read.status, read.stderr.toString()).toBe(0);
      expect(read.stdout.toString().split('\n')[0]).toMatch(/ > 127\.0\.0\.1\.8080: Flags \[S\],/);

      // The link is good until the next run replaces it.
      const again = await fetch(href);
      expect(again.status).toBe(200);
      await lesson.run();
      await expect.poll(async () => (await fetch(href)).status, { timeout: 30_000 }).toBe(404);
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});

describe('a learner program that floods its loopback', () => {
  it.skipIf(needsRealSandbox)(
    'stops the capture at the cap with its notice while the page stays responsive',
    async () => {
      const { page, context, errors } = await openPage(browser);
      const lesson = new LessonPage(page, appUrl);
      await lesson.open('en', 'tcp-client');
      await lesson.setCode(FLOOD);
      await lesson.run();
      const count = page.getByTestId('network-count');
      await count.waitFor({ timeout: 30_000 });

      // While packets pour in: type in the editor, switch to the Network view and back.
      const typing = await timed(async () => {
        await page.locator('[data-testid="code-editor"] .view-lines').click();
        await page.keyboard.press('ControlOrMeta+End');
        await page.keyboard.type('\n# still typing');
        await page.waitForFunction(() =>
          document
            .querySelector('[data-testid="code-editor"] .view-lines')
            ?.textContent?.replace(/\u00a0/g, ' ')
            .includes('# still typing'),
        );
      });
      const toNetwork = await timed(async () => {
        await networkTab(page).click();
        await page.getByTestId('wire-panel').waitFor();
      });
      const toTerminals = await timed(async () => {
        await page.getByRole('tab', { name: 'Terminals' }).click();
        await lesson.terminal('client.py').waitFor({ state: 'visible' });
      });
      const timings = { typing, toNetwork, toTerminals };
      console.log(`capture flood: ${JSON.stringify(timings)}`);
      expect(timings.toNetwork).toBeLessThan(RESPONSIVE_MS);
      expect(timings.typing).toBeLessThan(RESPONSIVE_MS);
      expect(timings.toTerminals).toBeLessThan(RESPONSIVE_MS);

      await lesson.waitForTerminalText('client.py', /^done$/m, 30_000);
      await networkTab(page).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Capture stopped after ${CAP} packets` })
        .waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="run-status"][data-phase="finished"]').waitFor();
      const capText = CAP.toLocaleString('en');
      // The count is drawn at most once a frame: it may still be catching up with the events.
      await expect.poll(() => count.innerText(), { timeout: 30_000 }).toBe(capText);
      expect(await page.getByTestId('packet-count').innerText()).toBe(`${capText} packets`);

      const saved = await download(page);
      const parsed = parsePcap(saved.bytes);
      expect(parsed).toMatchObject({ error: null, leftoverBytes: 0 });
      expect(parsed.packets).toHaveLength(CAP);
      expect(await count.innerText()).toBe(capText);
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});

describe('the download link of a scripted run', () => {
  it('waits for the end of the run, shows the size, points beside the sandbox, and expires', async () => {
    const { page, context, errors } = await openPage(browser);
    let end: () => void = () => {};
    const token = 'Zm9vYmFyYmF6cXV4cXV1eA';
    let runId = '';
    await scriptSandbox(page, (_socket, message, send) => {
      if (message.type !== 'run') return;
      runId = message.runId;
      const processes = [{ name: 'client.py', kind: 'learner' as const, label: 'client.py' }];
      send({ type: 'run-started', runId, seed: 7, limits: SCRIPTED_LIMITS, processes });
      send({ type: 'process-started', runId, process: 'client.py', at: 1 });
      const udp = { src: '127.0.0.1', dst: '127.0.0.1', sport: 40000, dport: 9000, conn: 1 };
      send({ type: 'packet', runId, n: 1, t: 2, proto: 'udp', len: 4, ...udp });
      end = () => {
        const ready = { token, packets: 1, bytes: 2048, truncated: false, expiresInSeconds: 2 };
        send({ type: 'capture-ready', runId, ...ready });
        send({
          type: 'run-finished',
          runId,
          reason: 'completed',
          notice: COMPLETED,
          durationMs: 9,
        });
      };
    });
    const lesson = new LessonPage(page, appUrl);
    await lesson.open('en', 'tcp-client');
    await lesson.run();
    await page.getByTestId('network-count').waitFor();
    await networkTab(page).click();
    const offer = page.getByTestId('pcap-download');
    await offer.and(page.locator('[data-offer="pending"]')).waitFor();
    expect(await offer.getAttribute('aria-disabled')).toBe('true');
    expect(await offer.getAttribute('href')).toBeNull();

    end();
    const link = page.getByRole('link', { name: 'Download .pcap 2.0 KiB' });
    await link.waitFor();
    const sandbox = new URL(inject('sandboxUrl'));
    expect(await link.getAttribute('href')).toBe(
      `http://${sandbox.host}/capture/${runId}.pcap?token=${token}`,
    );
    expect(await link.getAttribute('download')).toBe(`handshake-tcp-client-${runId}.pcap`);
    await offer.and(page.locator('[data-offer="expired"]')).waitFor({ timeout: 15_000 });
    expect(await offer.getAttribute('title')).toMatch(/no longer keeps this capture/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
