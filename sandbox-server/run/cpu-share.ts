/**
 * A run's share of the CPU against other runs steps down as its learner code uses CPU, as in a
 * multilevel feedback queue: a Run pressed next to CPU spinners or fork bombs outweighs them and
 * starts at nearly full speed. Python's start uses ~20 ms and a lesson's programs ~50 ms; a spin
 * passes the first step within a tick of the monitor. A share is of a fresh run's weight.
 */
export const CPU_SHARE_STEPS: ReadonlyArray<{ afterCpuMs: number; share: number }> = [
  { afterCpuMs: 40, share: 1 / 8 },
  { afterCpuMs: 1000, share: 1 / 64 },
];

/** How many steps down a run that has used `cpuMs` of CPU belongs (0: a fresh run's weight). */
export function cpuStepsFor(cpuMs: number): number {
  return CPU_SHARE_STEPS.filter((step) => cpuMs > step.afterCpuMs).length;
}
