/**
 * What the run needs from cgroups, the same on v1 and v2: a directory per run with a `learner`
 * and a `peer` group (limits set there), one leaf per process inside them (so each process's
 * whole tree can be listed or killed), usage counters, an atomic kill, and removal.
 */

/** The two groups of a run: learner code and trusted peers never share limits. */
export type CgroupRole = 'learner' | 'peer';

/** Limits of one role's group. */
export interface RoleLimits {
  memoryBytes: number;
  pids: number;
  /** CPU bandwidth in cores (1 = one full CPU). */
  cpuCores: number;
}

/** Counters read from a role's group; they start at zero for every run. */
export interface CgroupUsage {
  /** CPU time used, in nanoseconds. */
  cpuNs: number;
  /** Processes killed by the memory cgroup's OOM killer. */
  oomKills: number;
  /** Forks refused by the pids limit. */
  pidsLimitHits: number;
}

/** One process's leaf group: where the launcher writes its pid. */
export interface ProcessCgroup {
  /** cgroup.procs files to join, one per hierarchy. */
  procsFiles: string[];
  /** Pids currently in the leaf (the whole process tree, daemons included). */
  pids(): number[];
}

/** The cgroups of one run. Every method is safe to call after the processes are gone. */
export interface RunCgroups {
  /** Creates the leaf for one process of a role. */
  addProcess(role: CgroupRole, key: string): ProcessCgroup;
  usage(role: CgroupRole): CgroupUsage;
  /**
   * Sets the whole run's CPU weight against other runs to `share` of a fresh run's (not a limit:
   * it still gets idle CPU). The run lowers it step by step as its code uses CPU (CPU_SHARE_STEPS).
   */
  setCpuShare(share: number): void;
  /**
   * Kills every process of the run (or of one leaf) atomically and waits until they are gone.
   * `spareFirst` (the launchers Node spawned) are spared in the first round, so each reaps its
   * killed child itself and exits: killed together, that child would be orphaned to the host's
   * init, a zombie that a container without an init never reaps (and that counts against the
   * slot uid's RLIMIT_NPROC until it is).
   */
  killAll(spareFirst?: number[]): Promise<void>;
  /** As killAll, for one process's leaf only (the run's capture, in its own leaf, lives on). */
  killProcess(role: CgroupRole, key: string, spareFirst?: number[]): Promise<void>;
  /** Removes every directory of the run; the processes must be gone. */
  remove(): Promise<void>;
}

/** A cgroup implementation (v1 or v2). */
export interface CgroupDriver {
  version: 1 | 2;
  /** Controllers the run needs but this host does not offer (isolation is then incomplete). */
  missing: string[];
  /** Creates the groups of a run named `name` with these limits. */
  createRun(name: string, limits: Record<CgroupRole, RoleLimits>): RunCgroups;
  /** Names of run directories that exist now (for sweeping those of dead servers). */
  listRuns(): string[];
  /** Kills and removes a leftover run directory. */
  removeRun(name: string): Promise<void>;
}
