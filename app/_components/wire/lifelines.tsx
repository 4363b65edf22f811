'use client';

/**
 * The sequence diagram's lifelines: their lines (from where an endpoint first shows to its last
 * packet), their heads sticky above the rows (who is in each column at the top of the view), and
 * inline heads where an endpoint takes over a column part way down.
 */
import { endpointLabel } from '../../../lib/client/wire/endpoints.ts';
import type { OwnerLabeler } from '../../../lib/client/wire/endpoints.ts';
import { HEAD_HEIGHT, ROW_HEIGHT } from '../../../lib/client/wire/geometry.ts';
import type { Lifeline, SequenceLayout } from '../../../lib/client/wire/layout.ts';
import type { UiText } from '../../_i18n/ui-text.ts';
import styles from './sequence-view.module.css';

/** Heads of lifelines that take over a column part way down, drawn where they start. */
export function InlineHeads({
  lifelines,
  top,
  xOf,
  labelOf,
}: {
  lifelines: Lifeline[];
  top: number;
  xOf: (lifeline: number) => number;
  labelOf: OwnerLabeler;
}) {
  return (
    <g className={styles.inlineHeads} aria-hidden="true">
      {lifelines.map((lifeline) => {
        const { label, detail } = endpointLabel(lifeline.endpoint, labelOf);
        const width = Math.max(label.length * 7.8, detail.length * 6.6) + 24;
        const x = xOf(lifeline.index);
        return (
          <g key={lifeline.index} data-testid="inline-head">
            <rect x={x - width / 2} y={top + 4} width={width} height={detail ? 36 : 24} rx={7} />
            <text className={styles.inlineLabel} x={x} y={top + 19} textAnchor="middle">
              {label}
            </text>
            {detail && (
              <text className={styles.inlineDetail} x={x} y={top + 33} textAnchor="middle">
                {detail}
              </text>
            )}
          </g>
        );
      })}
    </g>
  );
}

/** The sticky heads of the lifelines: who owns the endpoint, and its address. */
export function LifelineHeads({
  lifelines,
  xs,
  labelOf,
  t,
}: {
  lifelines: Lifeline[];
  xs: number[];
  labelOf: OwnerLabeler;
  t: UiText;
}) {
  return (
    <div className={styles.heads} style={{ height: HEAD_HEIGHT }}>
      <span className={styles.timeHead}>{t.wire.timeColumn}</span>
      {lifelines.map((lifeline, i) => {
        const { label, detail } = endpointLabel(lifeline.endpoint, labelOf);
        return (
          <div
            key={lifeline.endpoint.key}
            className={styles.head}
            style={{ left: xs[i] }}
            data-testid="lifeline"
            data-owner={lifeline.endpoint.owner}
          >
            <span className={styles.headLabel}>{label}</span>
            {detail && <span className={styles.headDetail}>{detail}</span>}
          </div>
        );
      })}
    </div>
  );
}

/** The lines of the lifelines alive between rows `first` and `last`; an ended one gets a foot. */
export function LifelineLines({
  layout,
  offsets,
  first,
  last,
  bottom,
  xOf,
}: {
  layout: SequenceLayout;
  offsets: Float64Array;
  first: number;
  last: number;
  /** Where the drawn window ends (lines still open run to it). */
  bottom: number;
  xOf: (lifeline: number) => number;
}) {
  const windowTop = offsets[first] ?? 0;
  return layout.lifelines
    .filter((lifeline) => lifeline.last >= first && lifeline.first <= last)
    .map((lifeline) => {
      const x = xOf(lifeline.index);
      const starts = layout.rows[lifeline.first]?.kind === 'start';
      const top = offsets[lifeline.first]! + (starts ? ROW_HEIGHT.start - 6 : 0);
      const open = lifeline.last === layout.rows.length - 1;
      const end = open ? bottom : offsets[lifeline.last + 1]! - 6;
      return (
        <g key={lifeline.index} className={styles.lifeline}>
          <line x1={x} x2={x} y1={Math.max(top, windowTop)} y2={end} />
          {!open && <line x1={x - 6} x2={x + 6} y1={end} y2={end} />}
        </g>
      );
    });
}
