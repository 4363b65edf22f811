/**
 * `npm run bench`: measures the sandbox as a browser sees it, over WebSocket, and prints the
 * figures and a markdown table for docs/benchmarks.md. It asserts nothing.
 *
 *   npm run bench -- [--url ws://host:port/ws] [--runs 50] [--concurrent 40] [--read-seconds 10]
 *                    [--sustain 10] [--hostile 10]
 *
 * Without --url it starts `sandbox-server/main.ts` itself on a free port (HANDSHAKE_* env applies).
 * Bare Python is timed with /usr/bin/python3, the very interpreter the sandbox runs, never a
 * version-manager shim on PATH, so the ratio is honest.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { readLessonFiles } from '../lib/lessons/load-definition.ts';
import { HOST_TOOLS } from '../sandbox-server/jail/host-tools.ts';
import { newRunId, ProtocolClient } from '../sandbox-server/transport/client.ts';
import { launchServer } from '../sandbox-server/transport/launch.ts';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    origin: { type: 'string', default: 'http://localhost:3000' },
    runs: { type: 'string', default: '50' },
    concurrent: { type: 'string', default: '40' },
    sustain: { type: 'string', default: '10' },
    hostile: { type: 'string', default: '10' },
    'read-seconds': { type: 'string', default: '10' },
  },
});
const RUNS = Number(args.runs);
const CONCURRENT = Number(args.concurrent);
const SUSTAIN_SECONDS = Number(args.sustain);
const HOSTILE = Number(args.hostile);
/** How long the class has the lesson open before everyone presses Run. */
const READ_SECONDS = Number(args['read-seconds']);
const HELLO = [{ name: 'main.py', content: 'print("hello")\n' }];
/** Hello world after the imports a concurrency or TLS lesson needs (issue 10: ≤ 1.5× hello). */
const HELLO_WITH_IMPORTS = [
  { name: 'main.py', content: 'import asyncio, ssl, threading\nprint("hello")\n' },
];
const LESSON = 'tcp-client';

/** Hostile programs run next to benign ones in the last measurement (issue 3). */
const HOSTILE_PROGRAMS: Record<string, string> = {
  'fork bomb':
    'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n',
  'memory balloon': 'blocks = []\nwhile True:\n    blocks.append(bytearray(16 * 1024 * 1024))\n',
  'CPU spin': 'while True:\n    pass\n',
  'output flood':
    'import sys\nline = "x" * 1000 + "\\n"\nwhile True:\n    sys.stdout.write(line)\n',
};

// ---------------------------------------------------------------- statistics

/** Nearest-rank percentile of a list of milliseconds. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');

// ---------------------------------------------------------------- one run over WebSocket

interface Timing {
  firstOutputMs: number;
  finishedMs: number;
  reason: string;
  checksPassed: boolean;
}

/** Sends one run and times Run → first output byte (of `process`, if given) and → run-finished. */
async function timedRun(client: ProtocolClient, run: object, process?: string): Promise<Timing> {
  const runId = newRunId('bench');
  const sentAt = performance.now();
  client.send({ type: 'run', runId, ...run });
  const first = await client.next(
    'output',
    (m) => m.runId === runId && (!process || m.process === process),
  );
  const finished = await client.next('run-finished', (m) => m.runId === runId);
  const checks = client.received.find((m) => m.type === 'checks' && m.runId === runId);
  const checksPassed =
    checks?.type === 'checks' ? checks.results.every((r) => r.status === 'pass') : true;
  dropRun(client, runId);
  return {
    firstOutputMs: first.receivedAt - sentAt,
    finishedMs: finished.receivedAt - sentAt,
    reason: finished.reason,
    checksPassed,
  };
}

/** Forgets a finished run's messages so long benchmarks do not accumulate them. */
function dropRun(client: ProtocolClient, runId: string): void {
  const keep = client.received.filter((m) => !('runId' in m) || m.runId !== runId);
  client.received.splice(0, client.received.length, ...keep);
}

/** Times /usr/bin/python3 -c 'print("hello")': spawn → first stdout byte, and → exit. */
function bareRun(): Promise<{ firstOutputMs: number; exitMs: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let firstOutputMs = NaN;
    const child = spawn(HOST_TOOLS.python, ['-c', 'print("hello")'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', () => (firstOutputMs = performance.now() - start));
    child.on('error', reject);
    child.on('close', () => resolve({ firstOutputMs, exitMs: performance.now() - start }));
  });
}

// ---------------------------------------------------------------- measurements

function lessonRun(): object {
  return { lesson: LESSON, files: readLessonFiles('content', LESSON, 'solution') };
}

async function helloVersusBare(client: ProtocolClient) {
  const sandbox: Timing[] = [];
  const imports: Timing[] = [];
  const bare: Array<{ firstOutputMs: number; exitMs: number }> = [];
  for (let i = 0; i < 3; i++) await timedRun(client, { files: HELLO });
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so all three see the same machine state.
    sandbox.push(await timedRun(client, { files: HELLO }));
    imports.push(await timedRun(client, { files: HELLO_WITH_IMPORTS }));
    bare.push(await bareRun());
  }
  return { sandbox, imports, bare };
}

async function lessonWithPeer(client: ProtocolClient) {
  client.send({ type: 'viewing', lesson: LESSON }); // as the lesson page does
  const run = lessonRun();
  await timedRun(client, run, 'client.py');
  const timings: Timing[] = [];
  for (let i = 0; i < RUNS; i++) timings.push(await timedRun(client, run, 'client.py'));
  return timings;
}

/** The asyncio lesson's solution: its server serves a crowd of 100 clients (one stalled). */
const ASYNCIO_LESSON = 'asyncio-streams';
const ASYNCIO_RUNS = 10;

async function asyncioCrowd(client: ProtocolClient) {
  client.send({ type: 'viewing', lesson: ASYNCIO_LESSON });
  const run = {
    lesson: ASYNCIO_LESSON,
    files: readLessonFiles('content', ASYNCIO_LESSON, 'solution'),
  };
  await timedRun(client, run);
  const timings: Timing[] = [];
  for (let i = 0; i < ASYNCIO_RUNS; i++) timings.push(await timedRun(client, run));
  return timings;
}

/**
 * CONCURRENT learners press Run on the lesson at the same moment. With `readSeconds`, they
 * opened it that long before, as the app's lesson page says (`viewing`); with 0 they connect
 * and run at once, so every sandbox is made on the spot.
 */
async function simultaneous(url: string, readSeconds: number) {
  const clients = await Promise.all(
    Array.from({ length: CONCURRENT }, () =>
      ProtocolClient.connect(url, { origin: args.origin, timeoutMs: 60_000 }),
    ),
  );
  if (readSeconds > 0) {
    for (const client of clients) client.send({ type: 'viewing', lesson: LESSON });
    await new Promise((resolve) => setTimeout(resolve, readSeconds * 1000));
  }
  const run = lessonRun();
  const started = performance.now();
  const outcomes = await Promise.all(
    clients.map((client) =>
      timedRun(client, run, 'client.py').catch((error: unknown) => String(error).slice(0, 120)),
    ),
  );
  const wallMs = performance.now() - started;
  for (const client of clients) client.close();
  const ok = outcomes.filter((t): t is Timing => typeof t !== 'string' && succeeded(t));
  const failures = outcomes
    .filter((t) => typeof t === 'string' || !succeeded(t))
    .map(describeFailure);
  return {
    ok: ok.length,
    completions: outcomes.map((t) => (typeof t === 'string' ? Infinity : t.finishedMs)),
    wallMs,
    failures: countOf(failures),
  };
}

const succeeded = (t: Timing): boolean => t.reason === 'completed' && t.checksPassed;
const describeFailure = (t: Timing | string): string =>
  typeof t === 'string' ? t : t.reason === 'completed' ? 'checks failed' : t.reason;

/** "time-limit ×2, checks failed ×1" */
function countOf(items: string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => `${item} ×${n}`).join(', ');
}

async function sustained(url: string, workers: number) {
  const clients = await Promise.all(
    Array.from({ length: workers }, () =>
      ProtocolClient.connect(url, { origin: args.origin, timeoutMs: 60_000 }),
    ),
  );
  const deadline = performance.now() + SUSTAIN_SECONDS * 1000;
  const started = performance.now();
  let completed = 0;
  let failed = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const timing = await timedRun(client, { files: HELLO }).catch(() => null);
        if (timing?.reason === 'completed') completed++;
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const client of clients) client.close();
  return { perSecond: completed / seconds, completed, failed, seconds };
}

async function underHostileLoad(url: string, client: ProtocolClient) {
  const kinds = Object.keys(HOSTILE_PROGRAMS);
  const hostile = await Promise.all(
    Array.from({ length: HOSTILE }, () =>
      ProtocolClient.connect(url, { origin: args.origin, timeoutMs: 60_000 }),
    ),
  );
  const ids = hostile.map((c, i) => {
    const runId = newRunId('hostile');
    c.send({
      type: 'run',
      runId,
      files: [{ name: 'main.py', content: HOSTILE_PROGRAMS[kinds[i % kinds.length]!] }],
    });
    return runId;
  });
  // Let the hostile runs get going before measuring.
  await Promise.all(
    hostile.map((c, i) => c.next('run-started', (m) => m.runId === ids[i]).catch(() => null)),
  );
  const timings: Timing[] = [];
  for (let i = 0; i < Math.min(RUNS, 20); i++)
    timings.push(await timedRun(client, { files: HELLO }));
  hostile.forEach((c, i) => c.send({ type: 'stop', runId: ids[i] }));
  const endings = await Promise.all(
    hostile.map((c, i) => c.next('run-finished', (m) => m.runId === ids[i]).catch(() => null)),
  );
  for (const c of hostile) c.close();
  return { timings, endings: endings.map((e) => e?.reason ?? 'none') };
}

// ---------------------------------------------------------------- report

async function health(url: string): Promise<{ slots: number } | null> {
  try {
    const response = await fetch(url.replace(/^ws/, 'http').replace(/\/ws$/, '/health'));
    return (await response.json()) as { slots: number };
  } catch {
    return null;
  }
}

function machine(slots: number | undefined): string {
  const python = execFileSync(HOST_TOOLS.python, ['--version'], { encoding: 'utf8' }).trim();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  // Other work on the machine skews every figure: say how busy it was before the bench began.
  const load = os.loadavg()[0]!.toFixed(1);
  return `${os.availableParallelism()} cores (${cpu}), Linux ${os.release()}, Node ${process.versions.node}, ${python}, ${slots ?? '?'} slots, load average ${load}`;
}

async function main(): Promise<void> {
  const launched = args.url ? null : await launchServer();
  const url = args.url ?? launched!.url;
  const slots = (await health(url))?.slots;
  const described = machine(slots);
  console.log(`bench: ${url} — ${described}`);
  try {
    const client = await ProtocolClient.connect(url, { origin: args.origin, timeoutMs: 60_000 });
    const hello = await helloVersusBare(client);
    report(
      'hello world',
      hello.sandbox.map((t) => t.firstOutputMs),
    );
    report(
      'hello after importing asyncio, ssl, threading',
      hello.imports.map((t) => t.firstOutputMs),
    );
    report(
      'bare python3',
      hello.bare.map((t) => t.firstOutputMs),
    );
    const peer = await lessonWithPeer(client);
    report(
      `lesson ${LESSON} (peer)`,
      peer.map((t) => t.firstOutputMs),
    );
    const crowd = await asyncioCrowd(client);
    report(
      `lesson ${ASYNCIO_LESSON}, Run → checks finished`,
      crowd.map((t) => t.finishedMs),
    );
    // Cold first: the warm-up of the class would otherwise still be there.
    const cold = await simultaneous(url, 0);
    const together = await simultaneous(url, READ_SECONDS);
    for (const [what, burst] of [
      ['lesson open', together],
      ['cold', cold],
    ] as const)
      console.log(
        `${CONCURRENT} at once (${what}): ${burst.ok}/${CONCURRENT} ok, p95 completion ${ms(percentile(burst.completions, 95))}${burst.failures ? ` (failed: ${burst.failures})` : ''}`,
      );
    const rate = await sustained(url, Math.max(2, 2 * (slots ?? 4)));
    console.log(
      `sustained: ${rate.perSecond.toFixed(1)} runs/s (${rate.completed} in ${rate.seconds.toFixed(1)} s, ${rate.failed} failed)`,
    );
    const loaded = HOSTILE > 0 ? await underHostileLoad(url, client) : null;
    if (loaded)
      report(
        `hello under ${HOSTILE} hostile runs`,
        loaded.timings.map((t) => t.firstOutputMs),
      );
    client.close();
    printTable({ hello, peer, crowd, together, cold, rate, loaded, described });
  } finally {
    await launched?.stop();
  }
}

function report(what: string, values: number[]): void {
  console.log(
    `${what}: p50 ${ms(percentile(values, 50))}, p95 ${ms(percentile(values, 95))} (n=${values.length})`,
  );
}

function printTable(r: {
  hello: Awaited<ReturnType<typeof helloVersusBare>>;
  peer: Timing[];
  crowd: Timing[];
  together: Awaited<ReturnType<typeof simultaneous>>;
  cold: Awaited<ReturnType<typeof simultaneous>>;
  rate: Awaited<ReturnType<typeof sustained>>;
  loaded: Awaited<ReturnType<typeof underHostileLoad>> | null;
  described: string;
}): void {
  const sandbox = r.hello.sandbox.map((t) => t.firstOutputMs);
  const bare = r.hello.bare.map((t) => t.firstOutputMs);
  const imports = r.hello.imports.map((t) => t.firstOutputMs);
  const peer = r.peer.map((t) => t.firstOutputMs);
  const crowdDone = r.crowd.map((t) => t.finishedMs);
  const ratio = percentile(sandbox, 50) / percentile(bare, 50);
  const peerOk = r.peer.filter((t) => t.reason === 'completed' && t.checksPassed).length;
  const argv = process.argv.slice(2).join(' ');
  const rows = [
    [
      'hello world, Run → first output byte (WebSocket)',
      `p50 ${ms(percentile(sandbox, 50))}, p95 ${ms(percentile(sandbox, 95))}`,
      `n=${sandbox.length}`,
    ],
    [
      'bare `/usr/bin/python3 -c \'print("hello")\'`, spawn → first byte',
      `p50 ${ms(percentile(bare, 50))}, p95 ${ms(percentile(bare, 95))}`,
      `n=${bare.length}`,
    ],
    ['ratio sandbox / bare (p50)', `${ratio.toFixed(2)}×`, ''],
    [
      'hello after `import asyncio, ssl, threading`, Run → first output byte',
      `p50 ${ms(percentile(imports, 50))}, p95 ${ms(percentile(imports, 95))}`,
      `${(percentile(imports, 50) / percentile(sandbox, 50)).toFixed(2)}× hello world (p50)`,
    ],
    [
      `lesson with a Node peer (${LESSON}), Run → first output of client.py`,
      `p50 ${ms(percentile(peer, 50))}, p95 ${ms(percentile(peer, 95))}`,
      `${peerOk}/${r.peer.length} passed checks`,
    ],
    [
      `lesson ${ASYNCIO_LESSON} (a crowd of 100 clients, one stalled, and a gather client with a 0.5 s timeout), Run → checks finished`,
      `p50 ${ms(percentile(crowdDone, 50))}, p95 ${ms(percentile(crowdDone, 95))}`,
      `${r.crowd.filter((t) => t.checksPassed).length}/${r.crowd.length} passed checks`,
    ],
    [
      `${CONCURRENT} simultaneous ${LESSON} runs, lesson open ${READ_SECONDS} s before`,
      `${r.together.ok}/${CONCURRENT} ok, p95 completion ${ms(percentile(r.together.completions, 95))}`,
      `all done in ${ms(r.together.wallMs)}${r.together.failures ? `; failed: ${r.together.failures}` : ''}`,
    ],
    [
      `${CONCURRENT} simultaneous ${LESSON} runs, cold (run at once after connecting)`,
      `${r.cold.ok}/${CONCURRENT} ok, p95 completion ${ms(percentile(r.cold.completions, 95))}`,
      `all done in ${ms(r.cold.wallMs)}${r.cold.failures ? `; failed: ${r.cold.failures}` : ''}`,
    ],
    [
      'sustained trivial runs',
      `${r.rate.perSecond.toFixed(1)} runs/s`,
      `${r.rate.completed} runs in ${r.rate.seconds.toFixed(1)} s, ${r.rate.failed} failed`,
    ],
  ];
  if (r.loaded) {
    const loaded = r.loaded.timings.map((t) => t.firstOutputMs);
    const factor = percentile(loaded, 95) / percentile(sandbox, 95);
    rows.push([
      `hello world while ${HOSTILE} hostile runs execute`,
      `p95 ${ms(percentile(loaded, 95))} (${factor.toFixed(2)}× unloaded p95)`,
      `hostile ended: ${[...new Set(r.loaded.endings)].join(', ')}`,
    ]);
  }
  console.log(
    `\n\`npm run bench${argv ? ` -- ${argv}` : ''}\` on ${r.described}, ${new Date().toISOString().slice(0, 10)}\n`,
  );
  console.log('| measurement | result | notes |\n|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

await main();
