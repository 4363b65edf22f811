/**
 * Host-wide state of the sandbox in this server process, made on first use: the cgroup driver
 * (v1 or v2, detected once), the pool of ready network namespaces, the one-time sweep of what
 * dead servers left behind, the seccomp filter and the peer bundle. `warmUpSandbox()` does it all ahead of the
 * first run, so the first learner does not pay for it.
 */
import { hostCgroupDriver } from '../jail/cgroups/driver.ts';
import type { CgroupDriver } from '../jail/cgroups/types.ts';
import { LauncherPool } from '../jail/launcher-pool.ts';
import { NetnsPool, sweepDeadNetns } from '../jail/netns-pool.ts';
import { sweepDeadAppDirs } from '../jail/pywarm.ts';
import { ownerIsDead } from '../jail/run-names.ts';
import { peerBundle } from '../peers/bundle.ts';
import { learnerSeccomp } from '../jail/seccomp/filter.ts';
import type { CaptureSettings } from './run-capture.ts';
import { discardWarmSandbox, makeWarmSandbox } from './warm-sandbox-make.ts';
import { startingRuns } from './start-run.ts';
import { MAX_RECENT_KEYS, WarmSandboxes } from './warm-sandboxes.ts';

/** Server-wide sandbox settings. */
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

const settings: SandboxSettings = {
  readyNetns: 1,
  warmLaunchers: 2,
  warmSandboxes: 0,
  warmSandboxesMax: 0,
  capture: { enabled: true },
  warmPython: true,
};
let pool: NetnsPool | undefined;
let launchers: LauncherPool | undefined;
let warm: WarmSandboxes | undefined;
let sweep: Promise<void> | undefined;

/** Changes settings; call before the first run. */
export function configureSandbox(changes: Partial<SandboxSettings>): void {
  Object.assign(settings, changes);
  launchers?.resize(settings.warmLaunchers);
}

/** The pool of warm launchers. */
export function launcherPool(): LauncherPool {
  launchers ??= new LauncherPool(settings.warmLaunchers);
  return launchers;
}

/** The pool of sandboxes with peers started ahead. */
export function warmSandboxes(): WarmSandboxes {
  warm ??= new WarmSandboxes({
    perKind: settings.warmSandboxes,
    // The kinds used lately always fit; the browsers' demand comes on top, up to the maximum.
    maxTotal: Math.max(settings.warmSandboxes * MAX_RECENT_KEYS, settings.warmSandboxesMax),
    make: (plan, limits) =>
      makeWarmSandbox(plan, limits, {
        capture: settings.capture,
        warmPython: settings.warmPython,
      }),
    discard: discardWarmSandbox,
    log: (what, error) => console.error(`[sandbox] ${what} failed:`, error),
    startingRuns,
  });
  return warm;
}

/** The cgroup driver of this host. */
export function cgroupDriver(): CgroupDriver {
  return hostCgroupDriver();
}

/** The pool of fresh network namespaces. */
export function netnsPool(): NetnsPool {
  pool ??= new NetnsPool(settings.readyNetns);
  return pool;
}

/** Removes, once per server, the namespaces and cgroups of servers that died mid-run. */
export function sweepLeftovers(): Promise<void> {
  sweep ??= (async () => {
    await sweepDeadNetns();
    await sweepDeadAppDirs();
    const driver = cgroupDriver();
    for (const name of driver.listRuns().filter(ownerIsDead))
      await driver.removeRun(name).catch(() => {});
  })();
  return sweep;
}

/** Prepares what a first run needs: sweep, a ready namespace, warm launchers, seccomp, peer bundle. */
export async function warmUpSandbox(): Promise<void> {
  await sweepLeftovers();
  netnsPool().refill();
  launcherPool().refill();
  await Promise.all([learnerSeccomp(), peerBundle()]);
}

/**
 * Gives back what is held ahead of runs (ready namespaces, idle launchers). Runs at exit by
 * itself; call it from a SIGTERM/SIGINT handler too, where Node skips the exit handlers.
 */
export function disposeSandbox(): void {
  pool?.disposeSync();
  launchers?.dispose();
}

/**
 * Gives back everything held ahead, warm sandboxes included, and waits for namespaces still
 * being made: what a server calls before it exits on SIGTERM.
 */
export async function disposeSandboxAsync(): Promise<void> {
  pool?.stopRefilling(); // giving back warm sandboxes would otherwise top the pool up again
  await warm?.dispose();
  await pool?.dispose();
  launchers?.dispose();
}
