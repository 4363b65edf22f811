/**
 * The last step of `scripts/fresh-machine-test.sh`: with `npm start` serving on this machine, it
 * checks what a learner's first minute needs. The web app answers and renders the first lesson
 * (as the unprivileged user it runs as), the sandbox greets a browser's origin, and one Run of the
 * tcp-client lesson's `solution/` streams output and passes every check. Exits 0 only when all of that held;
 * each step prints one line, and a failure prints what was received instead.
 */
import { readLessonFiles } from '../lib/lessons/load-definition.ts';
import { listLessonFolders } from '../lib/lessons/folders.ts';
import { loadConfig } from '../sandbox-server/config.ts';
import { newRunId, ProtocolClient, type Received } from '../sandbox-server/transport/client.ts';

const WAIT_MS = 60_000;
const RUN_TIMEOUT_MS = 60_000;

const config = loadConfig();
const appUrl = `http://127.0.0.1:${process.env.PORT ?? '3000'}`;
const sandboxUrl = `ws://127.0.0.1:${config.port}/ws`;
// A browser on the app's page sends the app's origin; the sandbox refuses any origin not listed.
const origin = config.allowedOrigins.find((o) => o !== '*') ?? 'http://localhost:3000';

function step(line: string): void {
  console.log(`fresh machine: ${line}`);
}

/** Retries `attempt` until it returns, or throws its last error after `WAIT_MS`. */
async function waitFor<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** GETs `url` and fails unless it answers 200. */
async function get(url: string): Promise<void> {
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
}

/** What is wrong with a finished run's events (empty when it completed, streamed and passed). */
function problemsOf(events: Received[], invalid: string[]): string[] {
  const finished = events.at(-1);
  const checks = events.flatMap((m) => (m.type === 'checks' ? m.results : []));
  const learners = events.flatMap((m) =>
    m.type === 'run-started'
      ? m.processes.filter((p) => p.kind === 'learner').map((p) => p.name)
      : [],
  );
  // Streamed: output of a learner's program arrived while that program was still running.
  const exitedAt = (name: string) =>
    events.find((m) => m.type === 'process-exited' && m.process === name)?.receivedAt ?? Infinity;
  const streamed = events.some(
    (m) =>
      m.type === 'output' && learners.includes(m.process) && m.receivedAt < exitedAt(m.process),
  );
  return [
    finished?.type === 'run-finished' && finished.reason === 'completed'
      ? null
      : `the run did not complete: ${JSON.stringify(finished)}`,
    checks.length > 0 ? null : 'no check results came',
    checks.every((c) => c.status === 'pass') ? null : 'not every check passed',
    streamed ? null : "no output of the learner's program arrived before it exited",
    invalid.length === 0 ? null : `messages failed the protocol: ${invalid[0]}`,
  ].filter((p) => p !== null);
}

/** Prints a run's output, one line each with its process, then its checks. */
function report(events: Received[]): void {
  for (const m of events) {
    if (m.type !== 'output') continue;
    for (const line of m.data.replace(/\n$/, '').split('\n'))
      console.log(`  ${m.process}> ${line}`);
  }
  for (const m of events) {
    if (m.type !== 'checks') continue;
    for (const check of m.results)
      step(`  check ${check.status}: ${check.title} (${check.message})`);
  }
}

/**
 * The lesson whose solution is run: its client prints, then waits for a reply the proxy delivers
 * in pieces, so output reaches the page while the program still runs (the first lesson's program
 * is over in a few milliseconds, too soon to prove streaming).
 */
const RUN_LESSON = 'tcp-client';

async function main(): Promise<void> {
  const lessons = listLessonFolders(config.contentDir);
  const first = lessons[0];
  const lesson = lessons.find((l) => l.slug === RUN_LESSON) ?? first;
  if (!first || !lesson) throw new Error(`no lesson folder in ${config.contentDir}`);
  const files = readLessonFiles(config.contentDir, lesson.slug, 'solution');

  const firstPage = `${appUrl}/en/lessons/${first.slug}`;
  await waitFor(`the web app at ${firstPage}`, () => get(firstPage));
  step(`web app renders ${firstPage}`);
  const page = `${appUrl}/en/lessons/${lesson.slug}`;
  await waitFor(`the web app at ${page}`, () => get(page));
  step(`web app renders ${page}`);

  const client = await waitFor(`the sandbox at ${sandboxUrl}`, () =>
    ProtocolClient.connect(sandboxUrl, { origin, timeoutMs: RUN_TIMEOUT_MS }),
  );
  step(`sandbox at ${sandboxUrl} says hello to origin ${origin}`);

  const runId = newRunId('fresh');
  step(
    `Run of lesson "${lesson.slug}" with its solution (${files.map((f) => f.name).join(', ')})…`,
  );
  client.send({ type: 'run', runId, lesson: lesson.slug, lang: 'en', files });
  const events = await client.finished(runId);
  client.close();

  report(events);
  const problems = problemsOf(events, client.invalid);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const outputs = events.filter((m) => m.type === 'output').length;
  step(`the Run completed, streamed ${outputs} output event(s) and passed every check`);
}

try {
  await main();
  process.exit(0); // idle keep-alive sockets of fetch would hold the process a few seconds more
} catch (error) {
  console.error(`fresh machine: FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
