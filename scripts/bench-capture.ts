/**
 * `node scripts/bench-capture.ts [--runs 40]` (root): what packet capture costs a run. Runs
 * hello world through startRun with capture on and off, alternating so both see the same host,
 * and prints p50/p95 of Run → first output and Run → run-finished. It asserts nothing.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS } from '../sandbox-server/limits.ts';
import { SandboxHost } from '../sandbox-server/run/sandbox-host.ts';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '40' } } });
const RUNS = Number(args.runs);
const HELLO = [{ name: 'main.py', content: 'print("hello")\n' }];

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

const host = new SandboxHost({ readyNetns: 2, warmLaunchers: 2 });

/** One run: ms to its first output and to its end. */
async function once(capture: boolean, index: number): Promise<[number, number]> {
  const started = performance.now();
  let first = NaN;
  let finished = NaN;
  const handle = host.startRun(
    {
      runId: `bench-capture-${process.pid}-${index}`,
      files: HELLO,
      lang: 'en',
      limits: DEFAULT_LIMITS,
      capture: { enabled: capture },
    },
    (event) => {
      if (event.type === 'output' && Number.isNaN(first)) first = performance.now() - started;
      if (event.type === 'run-finished') finished = performance.now() - started;
    },
  );
  await handle.done;
  return [first, finished];
}

await host.warmUp();
const results = { on: [[], []] as number[][], off: [[], []] as number[][] };
for (let index = 0; index < 2 * RUNS + 2; index++) {
  const mode = index % 2 === 0 ? 'on' : 'off';
  const [first, finished] = await once(mode === 'on', index);
  if (index < 2) continue; // one warm-up run of each
  results[mode][0]!.push(first);
  results[mode][1]!.push(finished);
}
const row = (label: string, values: number[]): string =>
  `| ${label} | ${percentile(values, 50).toFixed(1)} ms | ${percentile(values, 95).toFixed(1)} ms |`;
console.log(`hello world, ${RUNS} runs each, alternating\n`);
console.log('| capture | p50 | p95 |\n|---|---|---|');
console.log(row('on: Run → first output', results.on[0]!));
console.log(row('off: Run → first output', results.off[0]!));
console.log(row('on: Run → run-finished', results.on[1]!));
console.log(row('off: Run → run-finished', results.off[1]!));
process.exit(0);
