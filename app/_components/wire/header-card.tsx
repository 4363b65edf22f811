'use client';

import type { OwnerLabeler } from '../../../lib/client/wire/endpoints.ts';
import { flagText } from '../../../lib/client/wire/flags.ts';
import { headerFields } from '../../../lib/client/wire/header-fields.ts';
import type { HeaderField, HeaderKey } from '../../../lib/client/wire/header-fields.ts';
import type { WirePacket } from '../../../lib/client/wire/wire-packet.ts';
import { useUiText } from '../ui-text-context.tsx';
import { faultTags } from './fault-tags.ts';
import styles from './sequence-view.module.css';

/** Fields the card's title and route line already show. */
const IN_TITLE: ReadonlySet<HeaderKey> = new Set([
  'frame',
  'time',
  'protocol',
  'flags',
  'from',
  'to',
]);
/** Fields too long for half a row. */
const WIDE: ReadonlySet<HeaderKey> = new Set([
  'phase',
  'states',
  'tls',
  'preview',
  'icmp',
  'problem',
  'fault',
]);

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
  const fields = headerFields(packet, labelOf, t.notice);
  const value = (key: HeaderKey) => fields.find((field) => field.key === key)?.value ?? '';
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
        <span className={styles.cardTime}>
          {value('protocol')} · {value('time')}
        </span>
        {packet.retrans && <span className={styles.cardTag}>{t.wire.retrans}</span>}
        {faultTags(packet, t).map((tag) => (
          <span key={tag} className={styles.cardTag} data-fault>
            {tag}
          </span>
        ))}
      </p>
      <p className={styles.cardRoute}>
        {value('from')} → {value('to')}
      </p>
      <dl className={styles.cardFields}>
        {fields
          .filter((field) => !IN_TITLE.has(field.key))
          .map((field) => (
            <Field
              key={field.key}
              field={field.key === 'phase' ? phaseField(field, t.wire.phaseName) : field}
              label={t.wire.header[field.key]}
            />
          ))}
        {/* Kept for tests and screen readers: the values the title shows, by name. */}
        {fields
          .filter((field) => IN_TITLE.has(field.key))
          .map((field) => (
            <div key={field.key} className="visually-hidden" data-field={field.key}>
              <dt>{t.wire.header[field.key]}</dt>
              <dd>{field.value}</dd>
            </div>
          ))}
      </dl>
    </div>
  );
}

/** The phase in the page language (`handshake`, `握手`). */
function phaseField(field: HeaderField, names: Record<string, string>): HeaderField {
  return { ...field, value: names[field.value] ?? field.value };
}

function Field({ field, label }: { field: HeaderField; label: string }) {
  return (
    <div
      className={`${styles.cardField} ${WIDE.has(field.key) ? styles.cardWide : ''}`}
      data-field={field.key}
    >
      <dt>{label}</dt>
      <dd>{field.value}</dd>
    </div>
  );
}
