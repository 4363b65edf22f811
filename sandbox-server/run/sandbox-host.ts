/**
 * The sandbox of one server process as one object, built once (by the jailer, the CLI, a test or
 * a script) and passed to what needs it: its instance id and uid base (so several servers on one
 * kernel never collide), the cgroup driver (v1 or v2, under the server's own cgroup), the pool of
 * ready network namespaces, the launchers and sandboxes made ahead, the one-time sweep of what a
 * dead predecessor left, and the count of runs starting. `warmUp()` does what a first run needs
 * ahead of it, so the first learner does not pay for it.
 */
import type { Server } from 'node:net';
import type { RunEvent } from '../../lib/protocol.ts';
import { createCgroupDriver } from '../jail/cgroups/driver.ts';
import type { CgroupDriver } from '../jail/cgroups/types.ts';
import { LauncherPool } from '../jail/launcher-pool.ts';
import { NetnsPool, sweepNetns } from '../jail/netns-pool.ts';
import { sweepAppDirs } from '../jail/pywarm.ts';
import { PROCESS_INSTANCES, processInstance } from '../instance-id.ts';
import { RunNames } from '../jail/run-names.ts';
import { learnerSeccomp } from '../jail/seccomp/filter.ts';
import { DEFAULT_UID_BASE, tryLock } from '../jail/slot-locks.ts';
import { peerBundle } from '../peers/bundle.ts';
import type { CaptureSettings } from './run-capture.ts';
import { startRun } from './start-run.ts';
import type { RunHandle, RunOptions } from './types.ts';
import { discardWarmSandbox, makeWarmSandbox } from './warm-sandbox-make.ts';
import { MAX_RECENT_KEYS, WarmSandboxes } from './warm-sandboxes.ts';

/** Server-wide sandbox settings; they may change until the first run. */
export interface SandboxSettings {
  /** Network namespaces kept ready ahead of runs (0 = make one per run, as the CLI does). */
  readyNetns: number;
  /** Launchers (idle bash processes) kept ready ahead of process starts (0 = none). */
  warmLaunchers: number;
  /** Sandboxes made ahead, per recent kind of run (0 = none, as the CLI): warm-sandboxes.ts. */
  warmSandboxes: number;
  /** Most sandboxes made ahead in all, including those for the lessons browsers show. */
  warmSandboxesMax: number;
  /** Packet capture of the sandboxes made ahead (runs ask for theirs in RunOptions). */
  capture: CaptureSettings;
  /** Sandboxes made ahead start each learner's Python too (jail/pywarm.ts). */
  warmPython: boolean;
}

/** What a host is built from: its identity on the kernel, and settings. */
export interface SandboxHostOptions extends Partial<SandboxSettings> {
  /** HANDSHAKE_INSTANCE: names its runs' objects. Default: the first free `p<pid>…`, this process's. */
  instance?: string;
  /** HANDSHAKE_UID_BASE: learners get base + slot, peers base + 1000 + slot. */
  uidBase?: number;
  /** The cgroup driver (default: this host's, under this process's own cgroup). */
  cgroups?: CgroupDriver;
}

const DEFAULT_SETTINGS: SandboxSettings = {
  readyNetns: 1,
  warmLaunchers: 2,
  warmSandboxes: 0,
  warmSandboxesMax: 0,
  capture: { enabled: true },
  warmPython: true,
};

/**
 * A run counts as starting for this long (or until it ends): the warm pool holds its refills
 * while many runs are starting (a class pressing Run together), but runs that have been going a
 * while (a server waiting for input, a CPU spinner at a low weight) must not starve the pool.
 */
const STARTING_RUN_MS = 1000;

/** The sandbox of one server: see the file comment. */
export class SandboxHost {
  /** First uid of its learners; its peers start PEER_UID_OFFSET higher. */
  readonly uidBase: number;
  private cgroupDriver: CgroupDriver | undefined;
  private readonly settings: SandboxSettings;
  private netnsPool: NetnsPool | undefined;
  private launcherPool: LauncherPool | undefined;
  private warmPool: WarmSandboxes | undefined;
  private readonly wantedInstance: string | undefined;
  private runNames: RunNames | undefined;
  private opening: Promise<void> | undefined;
  private instanceLock: Server | null = null;
  private starting = 0;

  constructor(options: SandboxHostOptions = {}) {
    const { instance, uidBase, cgroups, ...settings } = options;
    this.wantedInstance = instance;
    this.uidBase = uidBase ?? DEFAULT_UID_BASE;
    this.cgroupDriver = cgroups;
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
  }

  /** The names of this host's namespaces, cgroups and app directories: known once it is open. */
  get names(): RunNames {
    if (!this.runNames) throw new Error('the sandbox host makes nothing before open()');
    return this.runNames;
  }

  /** This host's instance id (for a host given none, known once it is open). */
  get instance(): string {
    return this.runNames?.instance ?? this.wantedInstance ?? processInstance();
  }

  /** Changes settings; call before the first run. */
  configure(changes: Partial<SandboxSettings>): void {
    Object.assign(this.settings, changes);
    this.launcherPool?.resize(this.settings.warmLaunchers);
  }

  /** The cgroup driver (detected on first use: a host without cgroups fails its warm-up). */
  get cgroups(): CgroupDriver {
    this.cgroupDriver ??= createCgroupDriver();
    return this.cgroupDriver;
  }

  /** The pool of fresh network namespaces. */
  get netns(): NetnsPool {
    this.netnsPool ??= new NetnsPool(this.settings.readyNetns, this.names);
    return this.netnsPool;
  }

  /** The pool of warm launchers. */
  get launchers(): LauncherPool {
    this.launcherPool ??= new LauncherPool(this.settings.warmLaunchers);
    return this.launcherPool;
  }

  /** The pool of sandboxes with peers started ahead. */
  get warm(): WarmSandboxes {
    const { warmSandboxes, warmSandboxesMax, capture, warmPython } = this.settings;
    this.warmPool ??= new WarmSandboxes({
      perKind: warmSandboxes,
      // The kinds used lately always fit; the browsers' demand comes on top, up to the maximum.
      maxTotal: Math.max(warmSandboxes * MAX_RECENT_KEYS, warmSandboxesMax),
      make: (plan, limits) => makeWarmSandbox(this, plan, limits, { capture, warmPython }),
      discard: (sandbox) => discardWarmSandbox(this, sandbox),
      log: (what, error) => console.error(`[sandbox] ${what} failed:`, error),
      startingRuns: () => this.starting,
    });
    return this.warmPool;
  }

  /**
   * Claims the instance id in this network namespace (a second live host with the same id is
   * refused: its sweep would remove this one's runs; a host given none takes the first free
   * `p<pid>…`) and removes, once, what a dead predecessor left. Everything that makes a named
   * object waits for it.
   */
  open(): Promise<void> {
    this.opening ??= (async () => {
      const id = await this.claimInstance();
      this.runNames = new RunNames(id);
      await this.sweep();
    })();
    return this.opening;
  }

  private async claimInstance(): Promise<string> {
    const candidates = this.wantedInstance
      ? [this.wantedInstance]
      : Array.from({ length: PROCESS_INSTANCES }, (_, n) => processInstance(n));
    for (const id of candidates) {
      this.instanceLock = await tryLock(`handshake-instance-${id}`);
      if (this.instanceLock) return id;
    }
    throw new Error(
      this.wantedInstance
        ? `sandbox instance ${this.wantedInstance} is already running on this host: give each server its own HANDSHAKE_INSTANCE`
        : `this process already holds ${PROCESS_INSTANCES} sandbox hosts`,
    );
  }

  /** Removes this instance's leftovers and those of processes that are gone (RunNames.isLeftover). */
  private async sweep(): Promise<void> {
    const isLeftover = (name: string): boolean => {
      this.names.skipPast(name);
      return this.names.isLeftover(name);
    };
    await sweepNetns(isLeftover);
    await sweepAppDirs(isLeftover);
    for (const name of this.cgroups.listRuns().filter(isLeftover))
      await this.cgroups.removeRun(name).catch(() => {});
  }

  /** Prepares what a first run needs: the sweep, a ready namespace, launchers, seccomp, peers. */
  async warmUp(): Promise<void> {
    await this.open();
    this.netns.refill();
    this.launchers.refill();
    await Promise.all([learnerSeccomp(), peerBundle()]);
  }

  /** Starts a run on this host; `emit` receives its events until `done` resolves. */
  startRun(options: RunOptions, emit: (event: RunEvent) => void): RunHandle {
    const handle = startRun(this, options, emit);
    this.countWhileStarting(handle.done);
    return handle;
  }

  /** Runs of this host started within STARTING_RUN_MS and not yet torn down. */
  startingRuns(): number {
    return this.starting;
  }

  private countWhileStarting(done: Promise<unknown>): void {
    this.starting += 1;
    let counted = true;
    const uncount = (): void => {
      if (!counted) return;
      counted = false;
      this.starting -= 1;
    };
    setTimeout(uncount, STARTING_RUN_MS).unref();
    void done.then(uncount, uncount);
  }

  /**
   * Gives back everything held ahead, warm sandboxes included, waits for namespaces still being
   * made, and frees the instance id: what a server calls before it exits on SIGTERM.
   */
  async disposeAsync(): Promise<void> {
    this.netnsPool?.stopRefilling(); // giving back warm sandboxes would otherwise top it up again
    await this.warmPool?.dispose();
    await this.netnsPool?.dispose();
    this.launcherPool?.dispose();
    this.instanceLock?.close();
  }
}
