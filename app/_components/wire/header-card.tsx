'use client';

import { flagText } from '../../../lib/client/wire/flags.ts';
import { headerFields } from '../../../lib/client/wire/header-fields.ts';
import type { OwnerLabeler } from '../../../lib/client/wire/endpoints.ts';
import type { WirePacket } from '../../../lib/client/wire/wire-packet.ts';
import { useUiText } from '../ui-text-context.tsx';
import styles from './sequence-view.module.css';

/**
 * The full header of the packet under the pointer or the keyboard focus, as a card beside its
 * arrow: relative seq/ack, window, flags, length, MSS and window scale on a SYN, the states.
 */
export function HeaderCard({
  id,
  packet,
  labelOf,
  left,
  top,
  above,
}: {
  id: string;
  packet: WirePacket;
  labelOf: OwnerLabeler;
  left: number;
  top: number;
  /** Draw the card above `top` rather than below it (near the bottom of the view). */
  above: boolean;
}) {
  const t = useUiText();
  const title = flagText(packet.flags) || packet.proto.toUpperCase();
  return (
    <div
      id={id}
      role="tooltip"
      className={styles.card}
      style={{ left, top, transform: above ? 'translateY(-100%)' : undefined }}
      data-testid="header-card"
    >
      <p className={styles.cardTitle}>
        <span className={styles.cardFrame}>#{packet.n}</span> {title}
        {packet.retrans && <span className={styles.cardTag}>{t.wire.retrans}</span>}
        {packet.dropped && <span className={styles.cardTag}>{t.wire.dropped}</span>}
      </p>
      <dl className={styles.cardFields}>
        {headerFields(packet, labelOf).map((field) => (
          <div key={field.key} className={styles.cardField} data-field={field.key}>
            <dt>{t.wire.header[field.key]}</dt>
            <dd>{field.value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
