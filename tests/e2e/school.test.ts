/**
 * Issue 12's multi-replica proof, with real processes on this machine: two app replicas and two
 * sandbox servers on one PostgreSQL. 80 learners (half through each app) run the echo-server
 * lesson at once: the apps spread them over both sandbox servers and every run passes and is
 * recorded. A Chromium page's Run that its full server would queue moves to the other one. Then
 * one sandbox server is killed (SIGKILL, main, front and jailer) as its first run
 * starts: its learners' connections drop — which the page words as "connection lost" — the apps
 * stop placing pages there, and every one of those learners runs again on the other server; the
 * database holds exactly one record per finished run. Started again, it takes new pages.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectionLost, startRun } from '../../lib/client/run-state.ts';
import { uiText } from '../../app/_i18n/ui-text.ts';
import {
  joinClass,
  recordedRuns,
  runOnce,
  runUntilFinished,
  solutionOf,
  startSchool,
  type Learner,
  type RunResult,
  type School,
} from './support/school.ts';
import { launchBrowser, openPage } from './support/browser.ts';
import { LessonPage } from './support/lesson-page.ts';
import { leftoversOf } from '../integration/server-host.ts';
import { newRunId, ProtocolClient } from '../../sandbox-server/transport/client.ts';

const LESSON = 'tcp-server';
const SLOTS = 8;
const SPIN = 'while True:\n    pass\n';
const needsRealSandbox = inject('sandboxKind') !== 'real';
let school: School;
let learners: Learner[] = [];
let finishedRuns = 0;

beforeAll(async () => {
  if (needsRealSandbox) return;
  school = await startSchool({ apps: 2, sandboxes: 2, slots: SLOTS });
  learners = await Promise.all(
    Array.from({ length: 80 }, (_, i) => joinClass(school, school.apps[i % 2]!, `learner ${i}`)),
  );
}, 240_000);

afterAll(async () => {
  await school?.stop();
}, 60_000);

const files = solutionOf(LESSON);
const count = (results: RunResult[], server: string) =>
  results.filter((r) => r.server === server).length;

async function expectRecorded(runs: number): Promise<void> {
  await expect.poll(() => recordedRuns(school), { timeout: 30_000 }).toBe(runs);
}

/** The lesson with its solution typed in, in Chromium through `app`, noting each WebSocket. */
async function openSolution(browser: Browser, app: string) {
  const { page, errors } = await openPage(browser);
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  const lesson = new LessonPage(page, app);
  await lesson.open('en', LESSON);
  await lesson.setCode(files[0]!.content);
  return { page, errors, sockets, lesson };
}

describe.skipIf(needsRealSandbox)('a school: two apps, two sandbox servers, PostgreSQL', () => {
  it('spreads 80 simultaneous runs over both sandbox servers; all pass and are recorded', async () => {
    const results = await Promise.all(learners.map((learner) => runOnce(learner, LESSON, files)));
    expect(results.filter((r) => r.outcome !== 'passed')).toEqual([]);
    const [a, b] = school.sandboxes.map((s) => s.url);
    expect(count(results, a!)).toBeGreaterThanOrEqual(30);
    expect(count(results, b!)).toBeGreaterThanOrEqual(30);
    finishedRuns += results.length;
    await expectRecorded(finishedRuns);
  }, 180_000);

  it('places a page in Chromium too: its Run passes and its capture downloads from its server', async () => {
    let browser: Browser | null = null;
    try {
      browser = await launchBrowser();
      const { page, errors, sockets, lesson } = await openSolution(browser, school.apps[1]!);
      await lesson.run();
      const statuses = () =>
        lesson
          .checks()
          .locator('li[data-status]')
          .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));
      await expect.poll(statuses, { timeout: 60_000 }).toContain('pass');
      expect(new Set(await statuses())).toEqual(new Set(['pass']));
      expect(sockets.length).toBeGreaterThan(0);
      const urls = school.sandboxes.map((s) => s.url);
      expect(urls).toContain(sockets.at(-1));
      const link = page.locator('[data-testid="pcap-download"][data-offer="ready"]');
      await page.getByRole('tab', { name: /^Network/ }).click();
      const href = await link.getAttribute('href');
      expect(href?.startsWith(sockets.at(-1)!.replace(/^ws/, 'http').replace(/\/ws$/, ''))).toBe(
        true,
      );
      const pcap = await page.request.get(href!);
      expect(pcap.status()).toBe(200);
      expect(errors).toEqual([]);
    } finally {
      await browser?.close();
    }
  }, 120_000);

  it('moves a Run waiting in a full server’s queue to the server with a free slot', async () => {
    let browser: Browser | null = null;
    const spinners: ProtocolClient[] = [];
    try {
      browser = await launchBrowser();
      const { page, errors, sockets, lesson } = await openSolution(browser, school.apps[0]!);
      const full = sockets.at(-1)!;
      const free = school.sandboxes.map((s) => s.url).find((url) => url !== full)!;
      // Every slot of the page's server busy with a spinning program.
      for (let i = 0; i < SLOTS; i++) {
        const client = await ProtocolClient.connect(full, { origin: school.apps[0]! });
        spinners.push(client);
        const runId = newRunId('spin');
        client.send({ type: 'run', runId, files: [{ name: 'main.py', content: SPIN }] });
        await client.next('run-started', (m) => m.runId === runId);
      }
      await lesson.run();
      const results = await lesson.checkResults(60_000);
      expect(results.filter((check) => check.status !== 'pass')).toEqual([]);
      expect(sockets.at(-1)).toBe(free);
      await page.getByRole('tab', { name: /^Network/ }).click();
      const link = page.locator('[data-testid="pcap-download"][data-offer="ready"]');
      expect(await link.getAttribute('href')).toMatch(
        new RegExp(`^${free.replace(/^ws/, 'http').replace(/\/ws$/, '')}/`),
      );
      expect(errors).toEqual([]);
    } finally {
      for (const client of spinners) client.close(); // a closed connection's runs are stopped
      await browser?.close();
    }
  }, 120_000);

  it('survives a sandbox server killed mid-burst: its runs end as lost, rerun on the other', async () => {
    const [victim, survivor] = school.sandboxes;
    let killed: Promise<void> | null = null;
    const burst = learners.slice(0, 40);
    const results = await Promise.all(
      burst.map((learner) =>
        runOnce(learner, LESSON, files, (server) => {
          if (server === victim!.url) killed ??= victim!.kill();
        }),
      ),
    );
    await killed;
    const lost = results.flatMap((r, i) => (r.outcome === 'lost' ? [burst[i]!] : []));
    expect(lost.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.outcome === 'lost').every((r) => r.server === victim!.url)).toBe(
      true,
    );
    expect(results.filter((r) => r.outcome === 'failed')).toEqual([]);
    // What the page shows for a run whose connection dropped, in both languages.
    const shown = connectionLost(startRun('run-aaaaaaaa'));
    expect(shown.problem).toEqual({ kind: 'connection-lost' });
    for (const lang of ['en', 'zh'] as const)
      expect(uiText(lang).problem.connectionLost).not.toBe('');
    // Every learner who lost a run runs again and lands on the surviving server.
    const reruns = await Promise.all(lost.map((l) => runUntilFinished(l, LESSON, files)));
    expect(reruns.map((r) => [r.outcome, r.server])).toEqual(
      reruns.map(() => ['passed', survivor!.url]),
    );
    finishedRuns += results.filter((r) => r.outcome === 'passed').length + reruns.length;
    await expectRecorded(finishedRuns);
  }, 180_000);

  it('gives new pages to the killed server again once it is back, which sweeps what it left', async () => {
    const [victim] = school.sandboxes;
    // The kill came while a run was in flight: its namespace (at least) is still there.
    const left = leftoversOf(victim!.instance);
    expect(left.netns.length).toBeGreaterThan(0);
    await victim!.start();
    const fresh = await Promise.all(
      Array.from({ length: 10 }, (_, i) => joinClass(school, school.apps[i % 2]!, `late ${i}`)),
    );
    // The apps poll every 2 s: within a few seconds the restarted server gets its share.
    await expect
      .poll(
        async () => {
          const result = await runOnce(fresh[finishedRuns % 10]!, LESSON, files);
          expect(result.outcome).toBe('passed');
          finishedRuns += 1;
          return result.server;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe(victim!.url);
    await expectRecorded(finishedRuns);
    expect(leftoversOf(victim!.instance, left)).toEqual({ netns: [], cgroups: [], processes: [] });
  }, 120_000);
});
