import { describe, expect, it } from 'vitest';
import { v1CpuShares } from '../jail/cgroups/v1.ts';
import { v2CpuWeight } from '../jail/cgroups/v2.ts';
import { CPU_SHARE_STEPS, cpuStepsFor } from './cpu-share.ts';

describe('CPU weight steps', () => {
  it('keeps a fresh weight while the learner code has used little CPU', () => {
    expect(cpuStepsFor(0)).toBe(0);
    expect(cpuStepsFor(CPU_SHARE_STEPS[0]!.afterCpuMs)).toBe(0);
  });

  it('steps down once per threshold passed, and never below the last step', () => {
    expect(cpuStepsFor(CPU_SHARE_STEPS[0]!.afterCpuMs + 1)).toBe(1);
    expect(cpuStepsFor(CPU_SHARE_STEPS.at(-1)!.afterCpuMs + 1)).toBe(CPU_SHARE_STEPS.length);
    expect(cpuStepsFor(1e9)).toBe(CPU_SHARE_STEPS.length);
  });

  it('lists shares that only go down, each one a weight the kernel accepts', () => {
    const shares = CPU_SHARE_STEPS.map((step) => step.share);
    expect([...shares].sort((a, b) => b - a)).toEqual(shares);
    for (const share of shares) {
      expect(v1CpuShares(share)).toBeGreaterThanOrEqual(2);
      expect(v2CpuWeight(share)).toBeGreaterThanOrEqual(1);
    }
    expect(v1CpuShares(1)).toBe(1024);
    expect(v2CpuWeight(1)).toBe(100);
  });
});
