/**
 * Sandboxes made ahead of runs: a slot, a fresh network namespace, the run's cgroups, the packet
 * capture already listening (~40 ms of tcpdump start), and for a lesson with peers every peer
 * already started in its own leaf under the slot's peer uid (servers listening, clients waiting
 * for their turn: ~60–100 ms of Node's CPU each). Each is taken by exactly one run, which kills
 * and releases it with everything else it holds; the pool then makes another.
 *
 * How many are kept for a kind of run (a key: the lesson's peers as planned, with the learner
 * limits the cgroups were made with) is the larger of
 *  - `perKind` for the kinds run lately (the next Run of a lone learner finds one), and
 *  - the demand the front reports: how many browsers show that lesson right now. A class that
 *    opens a lesson gets a sandbox per learner made while they read, so the moment they all
 *    press Run costs each of them only their own program's start.
 * `maxTotal` bounds them all together (each with a Node peer holds ~50 MiB). At most
 * MAX_PARALLEL_MAKES are made at a time, and none while many runs are starting (up to
 * MAX_REFILL_WAIT_MS), so filling the pool does not slow a class's burst of runs.
 */
import type { RunLimitsConfig } from '../limits.ts';
import type { PlannedProcess } from '../plan/plan.ts';
import type { WarmSandbox } from './warm-sandbox-make.ts';

export type { WarmPeer, WarmPython, WarmSandbox } from './warm-sandbox-make.ts';

/** A kind of run and how many browsers may run it soon. */
export interface WarmDemand {
  plan: PlannedProcess[];
  limits: RunLimitsConfig;
  count: number;
}

export interface WarmSandboxesOptions {
  /** Kept for each kind of run used lately (0 turns the pool off). */
  perKind: number;
  /** Most kept in all, demand included. */
  maxTotal: number;
  make(plan: PlannedProcess[], limits: RunLimitsConfig): Promise<WarmSandbox>;
  discard(sandbox: WarmSandbox): Promise<void>;
  log(what: string, error: unknown): void;
  /** Runs starting now (refills wait while there are many). */
  startingRuns(): number;
}

interface Entry {
  plan: PlannedProcess[];
  limits: RunLimitsConfig;
  ready: WarmSandbox[];
  making: number;
  lastUsed: number;
  /** Browsers showing this kind's lesson, as last reported. */
  demand: number;
}

/**
 * How long after a take the pool makes a replacement: a Node start costs ~60–100 ms of CPU,
 * which the run that just took a sandbox should not have to share while its program starts.
 */
export const REFILL_DELAY_MS = 200;
/**
 * While this many runs are starting (a class pressing Run together), replacements with peers
 * wait for them, so the burst does not share its CPU with Node starts… A sandbox without peers
 * costs ~10 ms of CPU (tcpdump) and a bash: it is made at once, so the runs that come right after
 * a burst of such runs (ten fork bombs, say) still find one.
 */
const BUSY_RUNS = 4;
/** …but never longer than this after they were wanted, or steady traffic would starve the pool. */
const MAX_REFILL_WAIT_MS = 2000;
/** Sandboxes being made at once, across all kinds (each start is mostly CPU: Node, tcpdump). */
const MAX_PARALLEL_MAKES = 2;
/** Kinds kept for recent use alone (without demand); the least recently used is dropped beyond. */
export const MAX_RECENT_KEYS = 3;
/** A kind nobody ran or showed for this long gives its warm sandboxes back. */
const IDLE_MS = 5 * 60_000;

/** Keeps warm sandboxes for the kinds of run used lately and the lessons browsers show. */
export class WarmSandboxes {
  /** Runs that found a warm sandbox (for tests and logs). */
  taken = 0;
  private readonly options: WarmSandboxesOptions;
  private readonly entries = new Map<string, Entry>();
  private readonly making = new Set<Promise<void>>();
  /** Give-backs in progress: a shutdown waits for them, or their namespaces would outlive it. */
  private readonly discarding = new Set<Promise<void>>();
  private readonly sweeper: ReturnType<typeof setInterval>;
  private disposed = false;
  /** Since when a refill waits (null: none waits). */
  private refillWantedSince: number | null = null;
  private refillTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: WarmSandboxesOptions) {
    this.options = options;
    this.sweeper = setInterval(() => this.dropIdle(), IDLE_MS / 5);
    this.sweeper.unref();
  }

  /** Sandboxes ready now, in all. */
  get readyCount(): number {
    return [...this.entries.values()].reduce((sum, entry) => sum + entry.ready.length, 0);
  }

  /** Sandboxes ready now for this plan and these limits (tests wait on it). */
  readyFor(plan: PlannedProcess[], limits: RunLimitsConfig): number {
    return this.entries.get(warmKey(plan, limits))?.ready.length ?? 0;
  }

  /**
   * A warm sandbox for this plan and these limits, or null (then the run starts cold). Either
   * way the pool now keeps sandboxes for this kind of run, so the next run finds one.
   */
  take(plan: PlannedProcess[], limits: RunLimitsConfig): WarmSandbox | null {
    if (!this.enabled) return null;
    const entry = this.entryFor(plan, limits);
    entry.lastUsed = performance.now();
    this.dropSurplusKinds();
    let sandbox: WarmSandbox | undefined;
    while ((sandbox = entry.ready.shift()) && !allRunning(sandbox)) void this.discard(sandbox);
    this.scheduleRefill();
    if (sandbox) this.taken += 1;
    return sandbox ?? null;
  }

  /**
   * Replaces the demand: `kinds` lists every kind some browser shows now (any kind not listed
   * has none). Sandboxes beyond what is wanted are given back; missing ones are made.
   */
  setDemand(kinds: WarmDemand[]): void {
    if (!this.enabled) return;
    for (const entry of this.entries.values()) entry.demand = 0;
    for (const { plan, limits, count } of kinds) {
      const entry = this.entryFor(plan, limits);
      entry.demand = Math.max(0, Math.min(count, this.options.maxTotal));
      entry.lastUsed = performance.now();
    }
    this.dropSurplusKinds();
    for (const entry of this.entries.values()) this.trim(entry);
    this.refillAll();
  }

  /** Gives back every warm sandbox and makes no more. */
  async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.sweeper);
    if (this.refillTimer) clearTimeout(this.refillTimer);
    await Promise.all(this.making);
    const ready = [...this.entries.values()].flatMap((entry) => entry.ready.splice(0));
    this.entries.clear();
    for (const sandbox of ready) void this.discard(sandbox);
    await Promise.all(this.discarding);
  }

  private get enabled(): boolean {
    return !this.disposed && this.options.perKind > 0 && this.options.maxTotal > 0;
  }

  private entryFor(plan: PlannedProcess[], limits: RunLimitsConfig): Entry {
    const key = warmKey(plan, limits);
    const found = this.entries.get(key);
    if (found) return found;
    const entry: Entry = { plan, limits, ready: [], making: 0, lastUsed: 0, demand: 0 };
    this.entries.set(key, entry);
    return entry;
  }

  /** How many this kind should have ready. */
  private target(entry: Entry): number {
    const recent = performance.now() - entry.lastUsed < IDLE_MS ? this.options.perKind : 0;
    return Math.max(recent, entry.demand);
  }

  private total(): number {
    let sum = 0;
    for (const entry of this.entries.values()) sum += entry.ready.length + entry.making;
    return sum;
  }

  /** Calls refillAll in REFILL_DELAY_MS (it may then wait for busy runs). */
  private scheduleRefill(): void {
    if (this.refillTimer) return;
    this.refillWantedSince ??= performance.now();
    this.refillTimer = setTimeout(() => {
      this.refillTimer = null;
      this.refillAll();
    }, REFILL_DELAY_MS);
    this.refillTimer.unref();
  }

  /** Starts makes, neediest kind first, within the parallel and total bounds. */
  /** True while a refill should still wait: while many runs are starting, for a bounded time. */
  private shouldWait(): boolean {
    const waited = this.refillWantedSince === null ? 0 : performance.now() - this.refillWantedSince;
    return waited < MAX_REFILL_WAIT_MS && this.options.startingRuns() >= BUSY_RUNS;
  }

  private refillAll(): void {
    const holding = this.shouldWait();
    if (!holding) this.refillWantedSince = null;
    while (this.enabled && this.making.size < MAX_PARALLEL_MAKES) {
      if (this.total() >= this.options.maxTotal) return;
      const entry = this.neediest(holding ? withoutPeers : () => true);
      if (!entry) break;
      this.makeOne(entry);
    }
    if (holding && this.neediest()) this.scheduleRefill();
  }

  /** The kind furthest below its target (by share missing), or undefined when none is. */
  private neediest(eligible: (entry: Entry) => boolean = () => true): Entry | undefined {
    let best: Entry | undefined;
    let bestMissing = 0;
    for (const entry of this.entries.values()) {
      if (!eligible(entry)) continue;
      const target = this.target(entry);
      const missing = target === 0 ? 0 : (target - entry.ready.length - entry.making) / target;
      if (missing > bestMissing) [best, bestMissing] = [entry, missing];
    }
    return best;
  }

  private makeOne(entry: Entry): void {
    entry.making += 1;
    const job = this.options
      .make(entry.plan, entry.limits)
      .then((sandbox) => this.keep(entry, sandbox))
      .catch((error: unknown) => this.options.log('making a warm sandbox', error))
      .finally(() => {
        entry.making -= 1;
        this.making.delete(job);
        this.refillAll();
      });
    this.making.add(job);
  }

  /** Files a new sandbox, unless it is no longer wanted; watches it while it waits. */
  private keep(entry: Entry, sandbox: WarmSandbox): void {
    const wanted = entry.ready.length < this.target(entry);
    if (!this.enabled || !wanted || ![...this.entries.values()].includes(entry)) {
      void this.discard(sandbox);
      return;
    }
    entry.ready.push(sandbox);
    for (const { process } of [...sandbox.peers.values(), ...sandbox.pythons.values()]) {
      void process.exited.then(() => {
        const at = entry.ready.indexOf(sandbox);
        if (at < 0) return; // taken: its run handles the exit
        entry.ready.splice(at, 1);
        void this.discard(sandbox);
        this.refillAll();
      });
    }
  }

  /** Gives back the ready sandboxes of a kind beyond its target. */
  private trim(entry: Entry): void {
    const surplus = entry.ready.length - this.target(entry);
    if (surplus > 0)
      for (const sandbox of entry.ready.splice(0, surplus)) void this.discard(sandbox);
  }

  private discard(sandbox: WarmSandbox): Promise<void> {
    const job = this.options
      .discard(sandbox)
      .catch((error: unknown) => this.options.log('giving back a warm sandbox', error))
      .finally(() => this.discarding.delete(job));
    this.discarding.add(job);
    return job;
  }

  /** Beyond MAX_RECENT_KEYS kinds without demand, drops the least recently used. */
  private dropSurplusKinds(): void {
    const idle = [...this.entries].filter(([, entry]) => entry.demand === 0);
    idle.sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    for (const [key] of idle.slice(0, Math.max(0, idle.length - MAX_RECENT_KEYS))) this.drop(key);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    for (const sandbox of entry?.ready.splice(0) ?? []) void this.discard(sandbox);
  }

  private dropIdle(): void {
    for (const [key, entry] of this.entries) if (this.target(entry) === 0) this.drop(key);
  }
}

/** A kind whose sandboxes start no peer: cheap to make even while runs are starting. */
function withoutPeers(entry: Entry): boolean {
  return entry.plan.every((planned) => planned.kind !== 'peer');
}

function allRunning(sandbox: WarmSandbox): boolean {
  return [...sandbox.peers.values(), ...sandbox.pythons.values()].every(
    ({ process }) => process.running,
  );
}

/**
 * The pool key of a plan: its peers and learner files where they start (with the modules each
 * warm Python imports ahead), the limits of its cgroups, and every limit a warm Python was
 * started with (its rlimits and /tmp).
 */
export function warmKey(plan: PlannedProcess[], limits: RunLimitsConfig): string {
  const peers = plan.flatMap((planned, index) =>
    planned.kind === 'peer' ? [[index, planned.name, planned.label, planned.peer]] : [],
  );
  const learners = plan.flatMap((planned, index) =>
    planned.kind === 'learner' ? [[index, planned.file, planned.preimport ?? null]] : [],
  );
  const { memoryBytes, pids, cpuSeconds, openFiles, fileSizeBytes, tmpBytes } = limits;
  return JSON.stringify({
    peers,
    learners,
    limits: [memoryBytes, pids, cpuSeconds, openFiles, fileSizeBytes, tmpBytes],
  });
}
