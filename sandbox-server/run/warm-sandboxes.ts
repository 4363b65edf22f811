/**
 * Sandboxes made ahead of runs: a slot, a fresh network namespace, the run's cgroups, the packet
 * capture already listening (~40 ms of tcpdump start), and for a lesson with peers every peer
 * already started in its own leaf under the slot's peer uid (servers listening, clients waiting
 * for their turn: ~100–250 ms of Node start). Each is taken by exactly one run, which kills and
 * releases it with everything else it holds; the pool then makes another. A key is the
 * lesson's peers as planned (names, configs, places in the start order; none for a plain run)
 * with the learner limits the cgroups were made with.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { PEER_CATALOG } from '../peers/catalog.ts';
import { peerBundle } from '../peers/bundle.ts';
import type { RunLimitsConfig } from '../limits.ts';
import { DeferredEvents } from './deferred-events.ts';
import type { PlannedProcess } from './plan.ts';
import { processSpec, type RunContext } from './process-spec.ts';
import { acquireResources, leafKey, releaseResources, type RunResources } from './resources.ts';
import { PendingCapture, type CaptureSettings } from './run-capture.ts';
import { RunProcess } from './run-process.ts';
import { START_WAIT_MS } from './timing.ts';

/** A peer started ahead, and the events it has said so far. */
export interface WarmPeer {
  process: RunProcess;
  events: DeferredEvents;
}

/** A sandbox made ahead: its resources, its capture, and its peers by their index in the plan. */
export interface WarmSandbox {
  resources: RunResources;
  capture: PendingCapture | null;
  peers: Map<number, WarmPeer>;
}

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

  private async make(entry: Entry): Promise<WarmSandbox> {
    const resources = await acquireResources(entry.limits);
    const sandbox: WarmSandbox = { resources, capture: null, peers: new Map() };
    try {
      const capture = this.capture.enabled
        ? PendingCapture.start(this.capture, resources.netns, resources.cgroups)
        : null;
      const context: RunContext = {
        netnsPath: resources.netnsPath,
        learnerUid: resources.slot.learnerUid,
        peerUid: resources.slot.peerUid,
        limits: entry.limits,
        files: [],
        peerBundle: await peerBundle(),
      };
      entry.plan.forEach((planned, index) => {
        if (planned.kind === 'peer')
          sandbox.peers.set(index, startPeer(planned, index, context, resources));
      });
      await serversListening(sandbox);
      sandbox.capture = await capture;
      return sandbox;
    } catch (error) {
      await this.discard(sandbox);
      throw error;
    }
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

/** Starts one peer in its leaf; a server is told to go at once (its stdin closes). */
function startPeer(
  planned: PlannedProcess,
  index: number,
  context: RunContext,
  resources: RunResources,
): WarmPeer {
  const events = new DeferredEvents();
  const process = new RunProcess(planned, events);
  const leaf = resources.cgroups.addProcess('peer', leafKey(index));
  process.start({ ...processSpec(planned, context), cgroupProcs: leaf.procsFiles }, leaf);
  if (isServer(planned)) process.endInput();
  return { process, events };
}

/** Resolves once every server peer reports `listening`; rejects if one exits or is late. */
async function serversListening(sandbox: WarmSandbox): Promise<void> {
  const servers = [...sandbox.peers.values()].filter(({ process }) => isServer(process.plan));
  const timer = new AbortController();
  const outcome = await Promise.race([
    Promise.all(servers.map(({ process }) => process.reported('listening'))).then(() => 'ready'),
    Promise.race(servers.map(({ process }) => process.exited)).then(() => 'exited'),
    delay(START_WAIT_MS, 'late', { signal: timer.signal }),
  ]);
  timer.abort();
  if (outcome !== 'ready') throw new Error(`a warm peer ${outcome} before it listened`);
}

function isServer(planned: PlannedProcess): boolean {
  return planned.peer !== undefined && PEER_CATALOG[planned.peer.peer].role === 'server';
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
