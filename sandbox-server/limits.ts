/**
 * The limits one run is held to, declared once with their defaults and the server-side bounds a
 * lesson's request is clamped to. The kernel enforces them (rlimits, cgroups, tmpfs sizes); the
 * run enforces the wall clock and the output budget. Config (HANDSHAKE_* env) overrides defaults.
 */

const MiB = 1024 * 1024;

/** Every per-run limit, in plain units. */
export interface RunLimitsConfig {
  /** Wall-clock time of the whole run. */
  wallSeconds: number;
  /** CPU time of all learner processes together (cgroup), and of each one (RLIMIT_CPU). */
  cpuSeconds: number;
  /** Memory of all learner processes together, swap excluded (cgroup). */
  memoryBytes: number;
  /** Processes and threads of all learner processes together (cgroup and RLIMIT_NPROC). */
  pids: number;
  /** Open file descriptors per process (RLIMIT_NOFILE). */
  openFiles: number;
  /** Largest file a process may write (RLIMIT_FSIZE). */
  fileSizeBytes: number;
  /** Size of the private writable /tmp (and, halved, /dev/shm). */
  tmpBytes: number;
  /** Output of all processes of the run together (stdout + stderr), after which the run stops. */
  outputBytes: number;
}

/** The defaults a run gets when neither config nor the lesson says otherwise. */
export const DEFAULT_LIMITS: Readonly<RunLimitsConfig> = Object.freeze({
  wallSeconds: 10,
  cpuSeconds: 5,
  memoryBytes: 256 * MiB,
  pids: 64,
  openFiles: 256,
  fileSizeBytes: 8 * MiB,
  tmpBytes: 16 * MiB,
  outputBytes: 1 * MiB,
});

/** The range every limit must stay in, whatever a lesson or a config asks for. */
export interface LimitBounds {
  min: Readonly<RunLimitsConfig>;
  max: Readonly<RunLimitsConfig>;
}

/** Server-side minimum and maximum of each limit (Judge0's lesson: never allow "no limit"). */
export const LIMIT_BOUNDS: Readonly<LimitBounds> = Object.freeze({
  min: Object.freeze({
    wallSeconds: 1,
    cpuSeconds: 1,
    memoryBytes: 32 * MiB,
    pids: 8,
    openFiles: 32,
    fileSizeBytes: 64 * 1024,
    tmpBytes: 1 * MiB,
    outputBytes: 4 * 1024,
  }),
  max: Object.freeze({
    wallSeconds: 300,
    cpuSeconds: 60,
    memoryBytes: 1024 * MiB,
    pids: 256,
    openFiles: 1024,
    fileSizeBytes: 64 * MiB,
    tmpBytes: 128 * MiB,
    outputBytes: 16 * MiB,
  }),
});

/** Names of all limits, for iteration. */
export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as Array<keyof RunLimitsConfig>;

/** Limits that may be fractional; the others are counts or byte sizes. */
const FRACTIONAL = new Set<keyof RunLimitsConfig>(['wallSeconds', 'cpuSeconds']);

/**
 * Fills missing values from `bounds.defaults` (or DEFAULT_LIMITS) and clamps every value into
 * [min, max]; a non-finite request falls back to the default.
 */
export function clampLimits(
  requested: Partial<RunLimitsConfig>,
  bounds: LimitBounds & { defaults?: Readonly<RunLimitsConfig> } = LIMIT_BOUNDS,
): RunLimitsConfig {
  const defaults = bounds.defaults ?? DEFAULT_LIMITS;
  const result = { ...defaults };
  for (const name of LIMIT_NAMES) {
    const wanted = requested[name];
    const value = typeof wanted === 'number' && Number.isFinite(wanted) ? wanted : defaults[name];
    const clamped = Math.min(bounds.max[name], Math.max(bounds.min[name], value));
    result[name] = FRACTIONAL.has(name) ? clamped : Math.floor(clamped);
  }
  return result;
}

/** Address space one thread's stack reserves (glibc's default, RLIMIT_STACK = 8 MiB). */
const THREAD_STACK_BYTES = 8 * MiB;

/**
 * Address-space backstop (RLIMIT_AS) for learner processes: the cgroup is the real limit. It
 * leaves room for a stack per allowed task, so a thread bomb meets the pids limit (and its own
 * message) rather than an address-space failure that no counter reports.
 */
export function addressSpaceBytes(limits: RunLimitsConfig): number {
  return Math.max(1024 * MiB, limits.memoryBytes * 4, limits.pids * THREAD_STACK_BYTES + 512 * MiB);
}

/** Memory cgroup limit of a run's peers: trusted, but confined so a flood cannot grow them. */
export const PEER_MEMORY_BYTES = 192 * MiB;

/** Process limit of a run's peers (Node needs a handful of threads). */
export const PEER_PIDS = 64;
