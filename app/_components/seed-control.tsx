'use client';

import { useUiText } from './ui-text-context.tsx';
import styles from './workbench.module.css';

/**
 * The seed a run's network faults were drawn from, and "Re-run with seed N": the same seed and
 * the same program give the same faults, so a learner can look at one unlucky run again. Shown
 * once the run has had a fault (without one, the seed changed nothing). Run picks a new seed.
 */
export function SeedControl({
  seed,
  faults,
  disabled,
  onRerun,
}: {
  seed: number | null;
  /** Fault events of the run so far. */
  faults: number;
  disabled: boolean;
  onRerun: (seed: number) => void;
}) {
  const t = useUiText();
  if (seed === null || faults === 0) return null;
  return (
    <span className={styles.seed} data-testid="run-seed" title={t.seed.hint}>
      <span className={styles.seedValue}>{t.seed.label(seed)}</span>
      <button
        type="button"
        className={`btn btn-ghost ${styles.seedRerun}`}
        onClick={() => onRerun(seed)}
        disabled={disabled}
      >
        {t.seed.rerun(seed)}
      </button>
    </span>
  );
}
