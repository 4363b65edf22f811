/**
 * cgroup v1: one directory tree per hierarchy (memory, pids, cpu, cpuacct, freezer), all with
 * the same layout `<mount>/<parent>/<run>/<role>/<process>`. Limits sit on the role directory
 * (hierarchical, so they cover every process of the role together); the freezer makes the kill
 * atomic: frozen tasks cannot fork or run away while they are being killed.
 */
import { mkdirSync, readdirSync } from 'node:fs';
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

/** Controllers a run needs on v1. */
export const V1_CONTROLLERS = ['memory', 'pids', 'cpu', 'cpuacct', 'freezer'] as const;
type Controller = (typeof V1_CONTROLLERS)[number];

const CFS_PERIOD_US = 100_000;
/** cpu.shares of a fresh run (the kernel's default); the smallest the kernel accepts is 2. */
const FULL_CPU_SHARES = 1024;
/**
 * Socket buffers a role may pin. v2 charges them to memory.max; v1 counts them nowhere unless
 * kmem.tcp accounting is on, and one run flooding its own loopback pinned ~1 GiB of the
 * host-wide TCP memory (tcp_mem), slowing every socket on the host under memory pressure.
 */
export const V1_SOCKET_BUFFER_BYTES = 64 * 1024 * 1024;
const TCP_LIMIT = 'memory.kmem.tcp.limit_in_bytes';
const ROLES: CgroupRole[] = ['learner', 'peer'];

/** cpu.shares for `share` of a fresh run's weight. */
export function v1CpuShares(share: number): number {
  return Math.max(2, Math.round(FULL_CPU_SHARES * share));
}

/** The v1 implementation, over the given controller mounts. */
export class CgroupV1Driver implements CgroupDriver {
  readonly version = 1 as const;
  readonly missing: string[];
  private readonly mounts: Map<string, string>;
  private readonly parent: string;

  constructor(mounts: Map<string, string>, parent: string) {
    this.mounts = mounts;
    this.parent = parent;
    this.missing = V1_CONTROLLERS.filter((name) => !mounts.has(name));
  }

  createRun(name: string, limits: Record<CgroupRole, RoleLimits>): RunCgroups {
    const run = new V1RunCgroups((controller) => this.runDir(controller, name), this.available());
    try {
      run.create(limits);
    } catch (error) {
      void run.remove().catch(() => {});
      throw error;
    }
    return run;
  }

  listRuns(): string[] {
    const freezer = this.mounts.get('freezer') ?? this.mounts.values().next().value;
    if (!freezer) return [];
    try {
      return readdirSync(path.join(freezer, this.parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name);
    } catch {
      return [];
    }
  }

  async removeRun(name: string): Promise<void> {
    const run = new V1RunCgroups((controller) => this.runDir(controller, name), this.available());
    await run.killAll();
    // A leftover's process leaves are not known here: remove every directory below it.
    const dirs = this.available().flatMap((controller) =>
      dirsDeepestFirst(this.runDir(controller, name)),
    );
    await removeDirs([...new Set(dirs)]);
  }

  private available(): Controller[] {
    return V1_CONTROLLERS.filter((name) => this.mounts.has(name));
  }

  private runDir(controller: Controller, name: string): string {
    return path.join(this.mounts.get(controller)!, this.parent, name);
  }
}

class V1RunCgroups implements RunCgroups {
  private readonly dirOf: (controller: Controller) => string;
  private readonly controllers: Controller[];
  private readonly leaves: Array<{ role: CgroupRole; key: string }> = [];

  constructor(dirOf: (controller: Controller) => string, controllers: Controller[]) {
    this.dirOf = dirOf;
    this.controllers = controllers;
  }

  create(limits: Record<CgroupRole, RoleLimits>): void {
    for (const role of ROLES) {
      for (const dir of this.uniqueDirs(role)) mkdirSync(dir, { recursive: true });
      this.setLimits(role, limits[role]);
    }
  }

  addProcess(role: CgroupRole, key: string): ProcessCgroup {
    const dirs = this.uniqueDirs(role, key);
    for (const dir of dirs) mkdirSync(dir, { recursive: true });
    // The kernel accounts a socket only if the group of the task creating it has kmem.tcp on:
    // turn it on in the leaf (unlimited there), so the charge reaches the role's limit.
    if (this.controllers.includes('memory'))
      writeControlIfPresent(path.join(this.roleDir('memory', role), key, TCP_LIMIT), '-1');
    this.leaves.push({ role, key });
    const listing = path.join(this.leafDir(role, key), 'cgroup.procs');
    return {
      procsFiles: dirs.map((dir) => path.join(dir, 'cgroup.procs')),
      pids: () => readPids(listing),
    };
  }

  usage(role: CgroupRole): CgroupUsage {
    const read = (controller: Controller, dir: string, name: string): string =>
      this.controllers.includes(controller) ? readControl(path.join(dir, name)) : '';
    // v1 counts OOM kills and refused forks in the group of the task concerned (a leaf), not
    // where the limit sits, so the role's count is the sum over the role and its leaves.
    const sum = (controller: Controller, name: string, key: string): number =>
      this.roleAndLeafDirs(controller, role).reduce(
        (total, dir) => total + keyedValue(read(controller, dir, name), key),
        0,
      );
    return {
      cpuNs: Number(read('cpuacct', this.roleDir('cpuacct', role), 'cpuacct.usage').trim()) || 0,
      oomKills: sum('memory', 'memory.oom_control', 'oom_kill'),
      pidsLimitHits: sum('pids', 'pids.events', 'max'),
    };
  }

  setCpuShare(share: number): void {
    if (this.controllers.includes('cpu'))
      writeControl(path.join(this.dirOf('cpu'), 'cpu.shares'), String(v1CpuShares(share)));
  }

  async killAll(spareFirst: number[] = []): Promise<void> {
    await this.freezeAndKill(this.dirOf(this.listController()), spareFirst);
  }

  async killProcess(role: CgroupRole, key: string, spareFirst: number[] = []): Promise<void> {
    await this.freezeAndKill(this.leafDir(role, key), spareFirst);
  }

  async remove(): Promise<void> {
    const dirs: string[] = [];
    for (const controller of this.controllers) {
      const runDir = this.dirOf(controller);
      for (const leaf of this.leaves) dirs.push(path.join(runDir, leaf.role, leaf.key));
      for (const role of ROLES) dirs.push(path.join(runDir, role));
      dirs.push(runDir);
    }
    await removeDirs([...new Set(dirs)]);
  }

  private setLimits(role: CgroupRole, limits: RoleLimits): void {
    const at = (controller: Controller, file: string): string =>
      path.join(this.roleDir(controller, role), file);
    if (this.controllers.includes('memory')) {
      writeControl(at('memory', 'memory.limit_in_bytes'), String(limits.memoryBytes));
      // With swap accounting, memory+swap gets the same limit: swapping must not extend memory.
      writeControlIfPresent(
        at('memory', 'memory.memsw.limit_in_bytes'),
        String(limits.memoryBytes),
      );
      writeControlIfPresent(
        at('memory', TCP_LIMIT),
        String(Math.min(limits.memoryBytes, V1_SOCKET_BUFFER_BYTES)),
      );
    }
    if (this.controllers.includes('pids'))
      writeControl(at('pids', 'pids.max'), String(limits.pids));
    if (this.controllers.includes('cpu')) {
      writeControl(at('cpu', 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
      writeControl(
        at('cpu', 'cpu.cfs_quota_us'),
        String(Math.round(limits.cpuCores * CFS_PERIOD_US)),
      );
    }
  }

  /** Freeze, SIGKILL every task (but `spareFirst`, in round one), thaw, until the group is empty. */
  private async freezeAndKill(dir: string, spareFirst: number[] = []): Promise<void> {
    const frozen = this.controllers.includes('freezer');
    const state = path.join(dir, 'freezer.state');
    for (let round = 0; round < 20; round++) {
      if (pidsBelow(dir).length === 0) return;
      if (frozen) {
        writeControl(state, 'FROZEN');
        await waitFor(() => readControl(state).trim() === 'FROZEN', 200);
      }
      const spare = round === 0 ? new Set(spareFirst) : new Set<number>();
      killPids(pidsBelow(dir).filter((pid) => !spare.has(pid)));
      if (frozen) thawAll(dir);
      if (await waitFor(() => pidsBelow(dir).length === 0, 500)) return;
    }
    throw new Error(`processes in ${dir} survived SIGKILL`);
  }

  /** The hierarchy used to list and kill tasks: the freezer when there is one. */
  private listController(): Controller {
    return this.controllers.includes('freezer') ? 'freezer' : this.controllers[0]!;
  }

  private uniqueDirs(role: CgroupRole, key?: string): string[] {
    const dirs = this.controllers.map((controller) =>
      key === undefined
        ? this.roleDir(controller, role)
        : path.join(this.roleDir(controller, role), key),
    );
    // Co-mounted controllers (cpu,cpuacct) share a directory; join it once.
    return [...new Set(dirs)];
  }

  private roleAndLeafDirs(controller: Controller, role: CgroupRole): string[] {
    const roleDir = this.roleDir(controller, role);
    const leaves = this.leaves
      .filter((leaf) => leaf.role === role)
      .map((leaf) => path.join(roleDir, leaf.key));
    return [roleDir, ...leaves];
  }

  private roleDir(controller: Controller, role: CgroupRole): string {
    return path.join(this.dirOf(controller), role);
  }

  private leafDir(role: CgroupRole, key: string): string {
    return path.join(this.roleDir(this.listController(), role), key);
  }
}

/**
 * Thaws a group and every group below it. On v1 thawing a parent leaves a child that was frozen
 * itself FROZEN, and a frozen task never receives its SIGKILL: a leaf frozen by a jailer that
 * died mid-kill would otherwise hold its processes (and its run's cgroups) forever.
 */
function thawAll(dir: string): void {
  for (const group of dirsDeepestFirst(dir).reverse()) {
    try {
      writeControlIfPresent(path.join(group, 'freezer.state'), 'THAWED');
    } catch {
      // Removed meanwhile: nothing left to thaw there.
    }
  }
}

/** Every pid in a group and its descendants. */
function pidsBelow(dir: string): number[] {
  const pids = readPids(path.join(dir, 'cgroup.procs'));
  let entries: string[] = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return pids;
  }
  for (const name of entries) pids.push(...pidsBelow(path.join(dir, name)));
  return pids;
}
