'use client';

import { CLOSE_CODES } from '../../lib/protocol.ts';
import type { Connection } from './use-sandbox.ts';
import { useUiText } from './ui-text-context.tsx';
import styles from './workbench.module.css';

/** The sandbox connection, said honestly: connecting, connected, or disconnected and retrying. */
export function ConnectionBadge({ connection }: { connection: Connection }) {
  const t = useUiText();
  const { state, closeCode } = connection;
  const text =
    state === 'ready'
      ? t.connected
      : state === 'connecting'
        ? t.connecting
        : state === 'closed'
          ? t.closed
          : closeCode === CLOSE_CODES.originRejected
            ? t.originRejected
            : t.reconnecting;
  return (
    <span
      className={`${styles.connection} ${styles[`connection-${state}`]}`}
      role="status"
      data-state={state}
    >
      <span className={styles.connectionDot} aria-hidden="true" />
      <span className={state === 'ready' ? 'visually-hidden' : styles.connectionText}>{text}</span>
    </span>
  );
}
