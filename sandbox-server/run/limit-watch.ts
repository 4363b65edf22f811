/**
 * Which kernel-counted limit a run has hit, from its learner cgroup's counters: pure functions,
 * so the rules are unit-tested without a kernel. Memory and processes count any hit (the kernel
 * refused something); CPU counts the total of all learner processes against the budget.
 */
import type { RunEndReason } from '../../lib/protocol.ts';
import type { CgroupUsage } from '../jail/cgroups/types.ts';
import type { RunLimitsConfig } from '../limits.ts';

type LimitReason = Extract<RunEndReason, 'memory-limit' | 'process-limit' | 'cpu-limit'>;

/** The limit the counters show as reached, or null. */
export function limitReached(usage: CgroupUsage, limits: RunLimitsConfig): LimitReason | null {
  if (usage.oomKills > 0) return 'memory-limit';
  if (usage.pidsLimitHits > 0) return 'process-limit';
  if (usage.cpuNs >= limits.cpuSeconds * 1e9) return 'cpu-limit';
  return null;
}

/**
 * The limit that explains how a learner process died, or null for a death of its own: an OOM
 * kill, SIGXCPU from RLIMIT_CPU, or RLIMIT_CPU's hard SIGKILL near the budget.
 */
export function limitExplainingExit(
  usage: CgroupUsage,
  signal: string | null,
  limits: RunLimitsConfig,
): LimitReason | null {
  if (signal === 'SIGKILL' && usage.oomKills > 0) return 'memory-limit';
  const nearBudget = usage.cpuNs >= limits.cpuSeconds * 1e9 * 0.95;
  if (signal === 'SIGXCPU' || (signal === 'SIGKILL' && nearBudget)) return 'cpu-limit';
  return null;
}
