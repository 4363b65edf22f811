/**
 * `npm run simulate:school`: how many sandbox nodes of this machine's size a school needs
 * (deploy/capacity/school-model.ts). The node's figures default to what `npm run bench:school`
 * measured here (docs/benchmarks.md); pass --slots, --alone, --throughput for another machine,
 * and --classes, --learners, --think for another school. Prints the fewest nodes that keep
 * Run → finished within 2 s for 95 % of runs and 5 s for 99 %, for three kinds of class.
 */
import { parseArgs } from 'node:util';
import {
  nodesNeeded,
  randomSource,
  runArrivals,
  simulate,
  type SchoolShape,
} from '../deploy/capacity/school-model.ts';

const { values } = parseArgs({
  options: {
    slots: { type: 'string', default: '8' },
    alone: { type: 'string', default: '0.2' },
    throughput: { type: 'string', default: '6.5' },
    classes: { type: 'string', default: '25' },
    learners: { type: 'string', default: '40' },
    seed: { type: 'string', default: '1' },
  },
});
const node = {
  slots: Number(values.slots),
  aloneSeconds: Number(values.alone),
  runsPerSecond: Number(values.throughput),
};
const TARGET = { p95: 2, p99: 5 };

const kinds: Array<{ name: string; thinkSeconds: number; togetherMoments: number }> = [
  { name: 'calm (a Run every 90 s)', thinkSeconds: 90, togetherMoments: 1 },
  { name: 'busy (every 45 s, 3× "everyone Run now")', thinkSeconds: 45, togetherMoments: 3 },
  { name: 'frantic (every 20 s, 5× together)', thinkSeconds: 20, togetherMoments: 5 },
];

console.log(
  `simulate:school: ${values.classes} classes × ${values.learners} learners, all starting on the hour, 45 min; node: ${node.slots} slots, ${node.aloneSeconds} s alone, ${node.runsPerSecond} runs/s saturated; target p95 ≤ ${TARGET.p95} s, p99 ≤ ${TARGET.p99} s`,
);
for (const kind of kinds) {
  const school: SchoolShape = {
    classes: Number(values.classes),
    learnersPerClass: Number(values.learners),
    classSeconds: 45 * 60,
    firstRunWithinSeconds: 240,
    thinkSeconds: kind.thinkSeconds,
    togetherMoments: kind.togetherMoments,
  };
  const arrivals = runArrivals(school, randomSource(Number(values.seed)));
  const tried = nodesNeeded(arrivals, node, TARGET);
  const met = tried.at(-1)!;
  const before = tried.at(-2);
  const mean = arrivals.length / school.classSeconds;
  console.log(
    `${kind.name}: ${arrivals.length} runs (${mean.toFixed(1)}/s on average) → ${met.nodes} node${met.nodes > 1 ? 's' : ''}: p50 ${met.p50.toFixed(2)} s, p95 ${met.p95.toFixed(2)} s, p99 ${met.p99.toFixed(2)} s, max ${met.max.toFixed(1)} s` +
      (before
        ? `; with ${before.nodes}: p95 ${before.p95.toFixed(2)} s, p99 ${before.p99.toFixed(2)} s, max ${before.max.toFixed(1)} s`
        : ''),
  );
}

// The worst moment: every learner of the school presses Run within the same 5 s.
const everyone = Number(values.classes) * Number(values.learners);
const random = randomSource(Number(values.seed));
const burst = Array.from({ length: everyone }, () => random() * 5).sort((a, b) => a - b);
for (const nodes of [5, 10, 20]) {
  const result = simulate(burst, nodes, node);
  console.log(
    `all ${everyone} press Run within 5 s, ${nodes} nodes: p50 ${result.p50.toFixed(1)} s, p95 ${result.p95.toFixed(1)} s, max ${result.max.toFixed(1)} s`,
  );
}
