'use client';

import type { ProcessView } from '../../lib/client/run-state.ts';
import { useUiText } from './ui-text-context.tsx';
import { useNow } from './use-now.ts';
import styles from './process-status.module.css';

/** Status badge and running time of one process: running / exit 0 / exit 1 / stopped / killed. */
export function ProcessStatus({ process }: { process: ProcessView }) {
  const t = useUiText();
  const running = process.status === 'running';
  const now = useNow(running);
  const ms =
    process.durationMs ?? (running && process.startedAt !== null ? now - process.startedAt : null);
  const { text, tone } = describe(process, t.status);
  return (
    <span className={styles.status}>
      {ms !== null && <span className={styles.time}>{formatSeconds(ms)}</span>}
      <span className={`${styles.badge} ${styles[tone]}`} data-status={process.status}>
        {running && <span className={styles.pulse} aria-hidden="true" />}
        {text}
      </span>
    </span>
  );
}

type Tone = 'neutral' | 'active' | 'good' | 'bad';

function describe(
  process: ProcessView,
  s: ReturnType<typeof useUiText>['status'],
): { text: string; tone: Tone } {
  switch (process.status) {
    case 'waiting':
      return { text: s.waiting, tone: 'neutral' };
    case 'running':
      return { text: s.running, tone: 'active' };
    case 'stopped':
      return { text: s.stopped, tone: 'neutral' };
    case 'killed':
      return { text: s.killed, tone: 'bad' };
    case 'exited':
      if (process.exitCode !== null)
        return { text: s.exit(process.exitCode), tone: process.exitCode === 0 ? 'good' : 'bad' };
      return { text: s.signal(process.signal ?? '?'), tone: 'bad' };
  }
}

/** `0.4 s`, `12.3 s`, `2 min 5 s`. */
export function formatSeconds(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
