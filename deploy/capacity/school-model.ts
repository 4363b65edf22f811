/**
 * How many sandbox nodes a school needs, by simulation: every learner of every class, every Run,
 * every node, second by second, with the app's placement (the node with the most free room).
 * A node is what `npm run bench:school` measured on one machine: `slots` runs at once, none
 * faster than its uncontended time, and together no more than its saturated throughput
 * (processor sharing). The learners' behaviour is an assumption, stated in `SchoolShape` and
 * varied by `npm run simulate:school`; the figures it prints are in docs/benchmarks.md.
 */

/** One sandbox node, as measured. */
export interface NodeShape {
  slots: number;
  /** Seconds one run takes alone (Run → run-finished). */
  aloneSeconds: number;
  /** Runs per second the node finishes when saturated. */
  runsPerSecond: number;
}

/** The school and how its learners press Run. */
export interface SchoolShape {
  classes: number;
  learnersPerClass: number;
  /** Length of a class in seconds; every class starts at 0 (on the hour). */
  classSeconds: number;
  /** A learner's first Run comes uniformly within this many seconds (reading the lesson first). */
  firstRunWithinSeconds: number;
  /** Mean seconds between one learner's Runs (exponential): editing, reading the result. */
  thinkSeconds: number;
  /** Times per class the instructor says "everyone, Run now": the class presses within 5 s. */
  togetherMoments: number;
}

export interface SimulationResult {
  nodes: number;
  runs: number;
  /** Completion (Run → finished) percentiles, in seconds. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Most runs waiting for a slot at once, over all nodes. */
  peakQueued: number;
}

/** Seeded random numbers in [0, 1) (mulberry32): the same seed, the same school. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The Run times of every learner of the school, sorted, in seconds from the hour. */
export function runArrivals(school: SchoolShape, random: () => number): number[] {
  const arrivals: number[] = [];
  for (let c = 0; c < school.classes; c++) {
    const moments = Array.from(
      { length: school.togetherMoments },
      () =>
        // Instructors ask once the class is under way, not in its first or last five minutes.
        300 + random() * Math.max(0, school.classSeconds - 600),
    );
    for (let l = 0; l < school.learnersPerClass; l++) {
      let at = random() * school.firstRunWithinSeconds;
      while (at < school.classSeconds) {
        arrivals.push(at);
        at += -Math.log(1 - random()) * school.thinkSeconds;
      }
      for (const moment of moments) arrivals.push(moment + random() * 5);
    }
  }
  return arrivals.sort((a, b) => a - b);
}

interface Running {
  arrival: number;
  /** Share of the run still to do (1 at its start). */
  left: number;
}

interface Node {
  running: Running[];
  queued: number[];
}

/** Step of the simulation clock, in seconds. */
const STEP = 0.01;

/** Simulates `arrivals` on `nodes` nodes of `node`'s shape. */
export function simulate(arrivals: number[], nodes: number, node: NodeShape): SimulationResult {
  const pool: Node[] = Array.from({ length: nodes }, () => ({ running: [], queued: [] }));
  const done: number[] = [];
  let next = 0;
  let peakQueued = 0;
  for (let now = 0; done.length < arrivals.length; now += STEP) {
    while (next < arrivals.length && arrivals[next]! <= now) place(pool, arrivals[next++]!, node);
    for (const each of pool) advance(each, node, now, done);
    peakQueued = Math.max(
      peakQueued,
      pool.reduce((sum, n) => sum + n.queued.length, 0),
    );
  }
  done.sort((a, b) => a - b);
  const at = (p: number) => done[Math.min(done.length - 1, Math.ceil(p * done.length) - 1)]!;
  return {
    nodes,
    runs: done.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: done.at(-1) ?? 0,
    peakQueued,
  };
}

/** The app's placement: the node with the most free slots less its queue. */
function place(pool: Node[], arrival: number, node: NodeShape): void {
  const room = (n: Node) => node.slots - n.running.length - n.queued.length;
  const best = pool.reduce((a, b) => (room(b) > room(a) ? b : a));
  best.queued.push(arrival);
}

/** One step of one node: fill free slots, share its throughput among its runs, finish some. */
function advance(each: Node, node: NodeShape, now: number, done: number[]): void {
  while (each.running.length < node.slots && each.queued.length > 0)
    each.running.push({ arrival: each.queued.shift()!, left: 1 });
  if (each.running.length === 0) return;
  // Alone a run takes aloneSeconds; together they finish at most runsPerSecond.
  const rate = Math.min(1 / node.aloneSeconds, node.runsPerSecond / each.running.length);
  for (const run of each.running) run.left -= rate * STEP;
  each.running = each.running.filter((run) => {
    if (run.left > 0) return true;
    done.push(now + STEP - run.arrival);
    return false;
  });
}

/** The fewest nodes whose completion p95 and p99 stay within the targets, up to `most`. */
export function nodesNeeded(
  arrivals: number[],
  node: NodeShape,
  target: { p95: number; p99: number },
  most = 64,
): SimulationResult[] {
  const tried: SimulationResult[] = [];
  for (let nodes = 1; nodes <= most; nodes++) {
    const result = simulate(arrivals, nodes, node);
    tried.push(result);
    if (result.p95 <= target.p95 && result.p99 <= target.p99) break;
  }
  return tried;
}
