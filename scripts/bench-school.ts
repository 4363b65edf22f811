/**
 * `npm run bench:school`: a school on this machine (tests/e2e/support/school.ts — PostgreSQL,
 * app replicas, sandbox servers, all real processes). Each round, 80 learners press Run at once
 * on the echo-server lesson; prints p50/p95/max completion (Run → run-finished) and throughput
 * with one sandbox server and with two, alternating, and how the runs spread. The slots are
 * split between the servers, so both shapes offer the machine the same concurrency. Options:
 * --learners N, --rounds N, --slots N (in all).
 */
import { parseArgs } from 'node:util';
import {
  joinClass,
  runOnce,
  solutionOf,
  startSchool,
  type RunResult,
} from '../tests/e2e/support/school.ts';

const { values } = parseArgs({
  options: {
    learners: { type: 'string', default: '80' },
    rounds: { type: 'string', default: '3' },
    slots: { type: 'string', default: '8' },
  },
});
const LEARNERS = Number(values.learners);
const ROUNDS = Number(values.rounds);
const SLOTS = Number(values.slots);
const LESSON = 'tcp-server';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Measured {
  /** One run at a time: Run → run-finished, p50 of ten. */
  aloneMs: number;
  ms: number[];
  failed: number;
  spread: number[];
  /** Runs finished per second of round wall time. */
  throughput: number;
}

async function measure(sandboxes: number): Promise<Measured> {
  const school = await startSchool({ apps: 2, sandboxes, slots: Math.ceil(SLOTS / sandboxes) });
  try {
    const files = solutionOf(LESSON);
    const learners = await Promise.all(
      Array.from({ length: LEARNERS }, (_, i) => joinClass(school, school.apps[i % 2]!, `l${i}`)),
    );
    await Promise.all(learners.slice(0, 4).map((l) => runOnce(l, LESSON, files))); // warm-up
    const alone: number[] = [];
    for (const learner of learners.slice(0, 10))
      alone.push((await runOnce(learner, LESSON, files)).ms);
    const aloneMs = percentile(
      alone.sort((a, b) => a - b),
      50,
    );
    const ms: number[] = [];
    let failed = 0;
    const spread = school.sandboxes.map(() => 0);
    let wall = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const results: RunResult[] = await Promise.all(
        learners.map((learner) => runOnce(learner, LESSON, files)),
      );
      wall += performance.now() - started;
      for (const result of results) {
        ms.push(result.ms);
        if (result.outcome !== 'passed') failed += 1;
        spread[school.sandboxes.findIndex((s) => s.url === result.server)]! += 1;
      }
    }
    const throughput = ms.length / (wall / 1000);
    return { aloneMs, ms: ms.sort((a, b) => a - b), failed, spread, throughput };
  } finally {
    await school.stop();
  }
}

console.log(
  `bench:school: ${LEARNERS} learners at once × ${ROUNDS} rounds, lesson ${LESSON}, 2 app replicas, PostgreSQL, ${SLOTS} slots in all`,
);
for (const sandboxes of [1, 2, 1, 2]) {
  const { aloneMs, ms, failed, spread, throughput } = await measure(sandboxes);
  const fmt = (n: number) => `${Math.round(n)} ms`;
  console.log(
    `${sandboxes} sandbox server${sandboxes > 1 ? 's' : ' '}: one run alone ${fmt(aloneMs)}; ${LEARNERS} at once: completion p50 ${fmt(percentile(ms, 50))}, p95 ${fmt(percentile(ms, 95))}, max ${fmt(ms.at(-1)!)}; ${ms.length - failed}/${ms.length} passed; ${throughput.toFixed(1)} runs/s; runs per server ${spread.join(' / ')}`,
  );
}
