'use client';

import type { CheckResult } from '../../lib/protocol.ts';
import { useUiText } from './ui-text-context.tsx';
import styles from './checks-panel.module.css';

const ICON = { pass: '✓', fail: '✗', error: '!' } as const;

/** The lesson's check results: a summary, the first failure in full, then every check. */
export function ChecksPanel({ checks }: { checks: CheckResult[] }) {
  const t = useUiText();
  const passed = checks.filter((c) => c.status === 'pass').length;
  const firstFailure = checks.find((c) => c.status !== 'pass');
  return (
    <section className={styles.panel} aria-labelledby="checks-heading" data-testid="checks">
      <header className={styles.header}>
        <h2 id="checks-heading" className={styles.heading}>
          {t.checks}
        </h2>
        <span
          className={`${styles.summary} ${firstFailure ? styles.summaryBad : styles.summaryGood}`}
        >
          {t.checksSummary(passed, checks.length)}
        </span>
      </header>
      {firstFailure ? (
        <div
          className={`${styles.first} ${firstFailure.status === 'error' ? styles.firstError : ''}`}
          role="alert"
        >
          <p className={styles.firstLabel}>{t.firstFailure}</p>
          <p className={styles.firstTitle}>
            <span aria-hidden="true">{ICON[firstFailure.status]}</span> {firstFailure.title}
          </p>
          <p className={styles.message}>{firstFailure.message}</p>
          {firstFailure.details && <pre className={styles.details}>{firstFailure.details}</pre>}
        </div>
      ) : (
        checks.length > 0 && <p className={styles.allPassed}>{t.allChecksPassed}</p>
      )}
      <ul className={styles.list}>
        {checks.map((check) => (
          <CheckRow key={check.id} check={check} expanded={check === firstFailure} />
        ))}
      </ul>
    </section>
  );
}

function CheckRow({ check, expanded }: { check: CheckResult; expanded: boolean }) {
  const t = useUiText();
  const head = (
    <>
      <span className={`${styles.icon} ${styles[check.status]}`} aria-hidden="true">
        {ICON[check.status]}
      </span>
      <span className={styles.rowTitle}>{check.title}</span>
      <span className="visually-hidden">{t.checkStatus[check.status]}: </span>
      <span className={styles.rowMessage}>{check.message}</span>
    </>
  );
  // The first failure is already shown in full above; its row stays short.
  if (!check.details || expanded) {
    return (
      <li className={styles.row} data-status={check.status}>
        <div className={styles.rowHead}>{head}</div>
      </li>
    );
  }
  return (
    <li className={styles.row} data-status={check.status}>
      <details>
        <summary className={styles.rowHead}>{head}</summary>
        <pre className={styles.details}>{check.details}</pre>
      </details>
    </li>
  );
}
