'use client';

import { noticeForClose } from '../../lib/protocol.ts';
import type { Connection } from './use-sandbox.ts';
import { useUiText } from './ui-text-context.tsx';
import styles from './workbench.module.css';

/** The sandbox connection, said honestly: connecting, connected, or disconnected and retrying. */
export function ConnectionBadge({ connection }: { connection: Connection }) {
  const t = useUiText();
  const { state, closeCode } = connection;
  // A close the server explained (its code) is said in its words; other drops are just drops.
  const refusal = state === 'reconnecting' ? noticeForClose(closeCode) : null;
  const text =
    state === 'ready'
      ? t.connected
      : state === 'connecting'
        ? t.connecting
        : state === 'closed'
          ? t.closed
          : state === 'outdated'
            ? t.outdated
            : refusal
              ? t.notice(refusal)
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
