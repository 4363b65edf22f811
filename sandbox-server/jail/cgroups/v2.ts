/**
 * cgroup v2: one tree `<root>/<parent>/<run>/<role>/<process>`. Controllers are enabled down to
 * the role level so limits sit on the role directory; processes live only in the leaves (v2's
 * no-internal-processes rule). `cgroup.kill` kills a whole subtree atomically (Linux ≥ 5.14).
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  dirsDeepestFirst,
  keyedValue,
  killPids,
  readControl,
  readPids,
  removeDirs,
  waitFor,
  writeControl,
  writeControlIfPresent,
} from './files.ts';
import type {
  CgroupDriver,
  CgroupRole,
  CgroupUsage,
  ProcessCgroup,
  RoleLimits,
  RunCgroups,
} from './types.ts';

/** Controllers a run needs on v2. */
export const V2_CONTROLLERS = ['memory', 'pids', 'cpu'] as const;

/** cpu.weight of a fresh run (the kernel's default); the smallest the kernel accepts is 1. */
const FULL_CPU_WEIGHT = 100;
const CPU_PERIOD_US = 100_000;
const ROLES: CgroupRole[] = ['learner', 'peer'];

/** cpu.weight for `share` of a fresh run's weight. */
export function v2CpuWeight(share: number): number {
  return Math.max(1, Math.round(FULL_CPU_WEIGHT * share));
}

/** The v2 implementation, rooted at a unified-hierarchy mount. */
export class CgroupV2Driver implements CgroupDriver {
  readonly version = 2 as const;
  readonly missing: string[];
  private readonly root: string;
  private readonly parent: string;
  private readonly enabled: string[];

  constructor(root: string, parent: string) {
    this.root = root;
    this.parent = parent;
    const offered = readControl(path.join(root, 'cgroup.controllers')).trim().split(/\s+/);
    this.enabled = V2_CONTROLLERS.filter((name) => offered.includes(name));
    this.missing = V2_CONTROLLERS.filter((name) => !offered.includes(name));
  }

  createRun(name: string, limits: Record<CgroupRole, RoleLimits>): RunCgroups {
    const parentDir = path.join(this.root, this.parent);
    if (!existsSync(parentDir)) {
      mkdirSync(parentDir, { recursive: true });
    }
    this.enableAtRoot();
    this.enableControllers(parentDir);
    const run = new V2RunCgroups(path.join(parentDir, name));
    try {
      run.create(limits, () => this.enableControllers(run.dir));
    } catch (error) {
      void run.remove().catch(() => {});
      throw error;
    }
    return run;
  }

  listRuns(): string[] {
    try {
      return readdirSync(path.join(this.root, this.parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name);
    } catch {
      return [];
    }
  }

  async removeRun(name: string): Promise<void> {
    const run = new V2RunCgroups(path.join(this.root, this.parent, name));
    await run.killAll();
    await run.removeTree();
  }

  /**
   * Enables the controllers below the server's own group. v2 lets a group hand controllers down
   * only while it holds no process itself, and a server's group (its pod's container, its
   * service) holds the server: the first time the kernel says EBUSY, every process of the group
   * moves into a leaf of its own (SERVER_LEAF, as container engines' `init` leaf) first.
   */
  private enableAtRoot(): void {
    try {
      this.enableControllers(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EBUSY') throw error;
      moveMembersToLeaf(this.root);
      this.enableControllers(this.root);
    }
  }

  private enableControllers(dir: string): void {
    if (this.enabled.length === 0) return;
    const wanted = this.enabled.map((name) => `+${name}`).join(' ');
    const current = readControl(path.join(dir, 'cgroup.subtree_control'));
    if (this.enabled.every((name) => current.split(/\s+/).includes(name))) return;
    writeControl(path.join(dir, 'cgroup.subtree_control'), wanted);
  }
}

/** The leaf the processes of the server's own group move to (enableAtRoot). */
export const SERVER_LEAF = 'handshake-server';

/** Moves every process of `dir` into its SERVER_LEAF, again while forks add more (a few rounds). */
function moveMembersToLeaf(dir: string): void {
  const leaf = path.join(dir, SERVER_LEAF);
  if (!existsSync(leaf)) mkdirSync(leaf);
  for (let round = 0; round < 5; round += 1) {
    const pids = readPids(path.join(dir, 'cgroup.procs'));
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        writeControl(path.join(leaf, 'cgroup.procs'), String(pid));
      } catch {
        // Exited meanwhile, or a kernel thread: the next round shows what is left.
      }
    }
  }
}

class V2RunCgroups implements RunCgroups {
  readonly dir: string;
  private readonly leaves: Array<{ role: CgroupRole; dir: string }> = [];

  constructor(dir: string) {
    this.dir = dir;
  }

  create(limits: Record<CgroupRole, RoleLimits>, enableBelowRun: () => void): void {
    mkdirSync(this.dir);
    enableBelowRun();
    for (const role of ROLES) {
      mkdirSync(path.join(this.dir, role));
      this.setLimits(path.join(this.dir, role), limits[role]);
    }
  }

  addProcess(role: CgroupRole, key: string): ProcessCgroup {
    const leaf = path.join(this.dir, role, key);
    mkdirSync(leaf);
    this.leaves.push({ role, dir: leaf });
    const procs = path.join(leaf, 'cgroup.procs');
    return { procsFiles: [procs], pids: () => readPids(procs) };
  }

  usage(role: CgroupRole): CgroupUsage {
    const dir = path.join(this.dir, role);
    // Older kernels count pids events only where the fork failed (a leaf): sum role and leaves.
    // Only "more than zero" matters, so counting a hierarchical event twice is harmless.
    const dirs = [dir, ...this.leaves.filter((leaf) => leaf.role === role).map((leaf) => leaf.dir)];
    const sum = (file: string, key: string): number =>
      dirs.reduce((total, at) => total + keyedValue(readControl(path.join(at, file)), key), 0);
    return {
      cpuNs: keyedValue(readControl(path.join(dir, 'cpu.stat')), 'usage_usec') * 1000,
      oomKills: sum('memory.events', 'oom_kill'),
      pidsLimitHits: sum('pids.events', 'max'),
    };
  }

  setCpuShare(share: number): void {
    writeControlIfPresent(path.join(this.dir, 'cpu.weight'), String(v2CpuWeight(share)));
  }

  async killAll(spareFirst: number[] = []): Promise<void> {
    await killTree(this.dir, spareFirst);
  }

  async killProcess(role: CgroupRole, key: string, spareFirst: number[] = []): Promise<void> {
    await killTree(path.join(this.dir, role, key), spareFirst);
  }

  async remove(): Promise<void> {
    const leaves = this.leaves.map((leaf) => leaf.dir);
    await removeDirs([...leaves, ...ROLES.map((role) => path.join(this.dir, role)), this.dir]);
  }

  /** Removes a run directory whose leaves this object did not create (a dead server's). */
  async removeTree(): Promise<void> {
    await removeDirs(dirsDeepestFirst(this.dir));
  }

  private setLimits(dir: string, limits: RoleLimits): void {
    writeControlIfPresent(path.join(dir, 'memory.max'), String(limits.memoryBytes));
    writeControlIfPresent(path.join(dir, 'memory.swap.max'), '0');
    writeControlIfPresent(path.join(dir, 'pids.max'), String(limits.pids));
    const quota = Math.round(limits.cpuCores * CPU_PERIOD_US);
    writeControlIfPresent(path.join(dir, 'cpu.max'), `${quota} ${CPU_PERIOD_US}`);
  }
}

/**
 * Kills a subtree: first (when `spareFirst` is given) every task but those, frozen meanwhile, so
 * the spared launchers reap their children; then cgroup.kill (SIGKILL to every task, stopped or
 * not) for whatever remains; and waits until it is empty.
 */
async function killTree(dir: string, spareFirst: number[] = []): Promise<void> {
  const events = path.join(dir, 'cgroup.events');
  const populated = (): boolean => keyedValue(readControl(events), 'populated') === 1;
  if (!existsSync(dir) || !populated()) return;
  const allPids = (): number[] =>
    dirsDeepestFirst(dir).flatMap((sub) => readPids(path.join(sub, 'cgroup.procs')));
  if (spareFirst.length > 0 && existsSync(path.join(dir, 'cgroup.freeze'))) {
    writeControl(path.join(dir, 'cgroup.freeze'), '1');
    await waitFor(() => keyedValue(readControl(events), 'frozen') === 1, 200);
    const spare = new Set(spareFirst);
    killPids(allPids().filter((pid) => !spare.has(pid)));
    writeControl(path.join(dir, 'cgroup.freeze'), '0');
    if (await waitFor(() => !populated(), 500)) return;
  }
  if (existsSync(path.join(dir, 'cgroup.kill'))) writeControl(path.join(dir, 'cgroup.kill'), '1');
  else killPids(allPids());
  if (!(await waitFor(() => !populated(), 2000)))
    throw new Error(`processes in ${dir} survived SIGKILL`);
}
