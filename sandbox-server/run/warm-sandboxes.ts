/**
 * Sandboxes made ahead of runs: a slot, a fresh network namespace, the run's cgroups, the packet
 * capture already listening (~40 ms of tcpdump start), and for a lesson with peers every peer
 * already started in its own leaf under the slot's peer uid (servers listening, clients waiting
 * for their turn: ~100–250 ms of Node start). Each is taken by exactly one run, which kills and
 * releases it with everything else it holds; the pool then makes another. A key is the
 * lesson's peers as planned (names, configs, places in the start order; none for a plain run)
 * with the learner limits the cgroups were made with.
 */
import type { RunLimitsConfig } from '../limits.ts';
import type { PlannedProcess } from './plan.ts';
import { releaseResources } from './resources.ts';
import type { CaptureSettings } from './run-capture.ts';
import { makeWarmSandbox, type WarmSandbox } from './warm-sandbox-make.ts';

export type { WarmPeer, WarmSandbox } from './warm-sandbox-make.ts';

interface Entry {
  plan: PlannedProcess[];
  limits: RunLimitsConfig;
  ready: WarmSandbox[];
  making: number;
  lastUsed: number;
}

/**
 * How long after a take the pool makes a replacement: a Node start costs ~60 ms of CPU, which
 * the run that just took a sandbox should not have to share while its own program starts.
 */
const REFILL_DELAY_MS = 200;
/** Kinds of run (keys) kept warm at once; the least recently used one is dropped beyond. */
const MAX_KEYS = 3;
/** A lesson nobody ran for this long gives its warm sandboxes back. */
const IDLE_MS = 5 * 60_000;

/** Keeps `size` warm sandboxes for each of the lessons last run. */
export class WarmSandboxes {
  /** Runs that found a warm sandbox (for tests and logs). */
  taken = 0;
  private size: number;
  private readonly entries = new Map<string, Entry>();
  private readonly making = new Set<Promise<void>>();
  private readonly log: (what: string, error: unknown) => void;
  private readonly sweeper: ReturnType<typeof setInterval>;

  private readonly capture: CaptureSettings;

  constructor(size: number, capture: CaptureSettings, log: (what: string, error: unknown) => void) {
    this.size = size;
    this.capture = capture;
    this.log = log;
    this.sweeper = setInterval(() => this.dropIdle(), IDLE_MS / 5);
    this.sweeper.unref();
  }

  /**
   * A warm sandbox for this plan and these limits, or null (then the run starts cold). Either
   * way the pool now keeps sandboxes for this lesson, so the next run finds one.
   */
  take(plan: PlannedProcess[], limits: RunLimitsConfig): WarmSandbox | null {
    if (this.size === 0) return null;
    const key = warmKey(plan, limits);
    const entry = this.entries.get(key) ?? this.addEntry(key, plan, limits);
    entry.lastUsed = performance.now();
    let sandbox: WarmSandbox | undefined;
    while ((sandbox = entry.ready.shift()) && !allRunning(sandbox)) void this.discard(sandbox);
    setTimeout(() => this.refill(entry), REFILL_DELAY_MS).unref();
    if (sandbox) this.taken += 1;
    return sandbox ?? null;
  }

  /** Gives back every warm sandbox and makes no more. */
  async dispose(): Promise<void> {
    this.size = 0;
    clearInterval(this.sweeper);
    await Promise.all(this.making);
    const ready = [...this.entries.values()].flatMap((entry) => entry.ready.splice(0));
    this.entries.clear();
    await Promise.all(ready.map((sandbox) => this.discard(sandbox)));
  }

  private addEntry(key: string, plan: PlannedProcess[], limits: RunLimitsConfig): Entry {
    const entry: Entry = { plan, limits, ready: [], making: 0, lastUsed: performance.now() };
    this.entries.set(key, entry);
    while (this.entries.size > MAX_KEYS) {
      const oldest = [...this.entries].sort(([, a], [, b]) => a.lastUsed - b.lastUsed)[0]!;
      this.drop(oldest[0]);
    }
    return entry;
  }

  private refill(entry: Entry): void {
    if (![...this.entries.values()].includes(entry)) return;
    while (entry.ready.length + entry.making < this.size) {
      entry.making += 1;
      const job = this.make(entry)
        .then((sandbox) => this.keep(entry, sandbox))
        .catch((error: unknown) => this.log('making a warm sandbox', error))
        .finally(() => {
          entry.making -= 1;
          this.making.delete(job);
        });
      this.making.add(job);
    }
  }

  /** Files a new sandbox, unless its lesson was dropped meanwhile; watches it while it waits. */
  private keep(entry: Entry, sandbox: WarmSandbox): void {
    if (this.size === 0 || ![...this.entries.values()].includes(entry)) {
      void this.discard(sandbox);
      return;
    }
    entry.ready.push(sandbox);
    for (const { process } of sandbox.peers.values()) {
      void process.exited.then(() => {
        const at = entry.ready.indexOf(sandbox);
        if (at < 0) return; // taken: its run handles the exit
        entry.ready.splice(at, 1);
        void this.discard(sandbox);
      });
    }
  }

  private make(entry: Entry): Promise<WarmSandbox> {
    return makeWarmSandbox(entry.plan, entry.limits, this.capture);
  }

  private async discard(sandbox: WarmSandbox): Promise<void> {
    await releaseResources(sandbox.resources).catch((error: unknown) =>
      this.log('giving back a warm sandbox', error),
    );
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    for (const sandbox of entry?.ready.splice(0) ?? []) void this.discard(sandbox);
  }

  private dropIdle(): void {
    const now = performance.now();
    for (const [key, entry] of this.entries) if (now - entry.lastUsed > IDLE_MS) this.drop(key);
  }
}

function allRunning(sandbox: WarmSandbox): boolean {
  return [...sandbox.peers.values()].every(({ process }) => process.running);
}

/** The pool key of a plan: its peers where they start, and the limits of its cgroups. */
export function warmKey(plan: PlannedProcess[], limits: RunLimitsConfig): string {
  const peers = plan.flatMap((planned, index) =>
    planned.kind === 'peer' ? [[index, planned.name, planned.label, planned.peer]] : [],
  );
  return JSON.stringify({ peers, memory: limits.memoryBytes, pids: limits.pids });
}
