'use client';

/**
 * The SVG pieces of the sequence diagram's other rows: a collapsed burst, a phase heading, a
 * phase bracket. Coordinates are absolute within the drawing; the diagram windows them.
 */
import { arrowHead, ROW_HEIGHT } from '../../../lib/client/wire/geometry.ts';
import type { Bracket, BurstRow, PhaseRow } from '../../../lib/client/wire/layout.ts';
import { formatBytes } from '../../../lib/client/wire/format.ts';
import type { UiText } from '../../_i18n/ui-text.ts';
import { RowFrame, type RowEvents } from './packet-arrow.tsx';
import styles from './sequence-view.module.css';

/** Consecutive data segments one way, as a bundle of arrows that opens on Enter or a click. */
export function BurstBundle({
  row,
  index,
  top,
  x1,
  x2,
  timeRight,
  left,
  right,
  t,
  tabbable,
  label,
  onToggle,
  events,
}: {
  row: BurstRow;
  timeRight: number;
  index: number;
  top: number;
  x1: number;
  x2: number;
  left: number;
  right: number;
  t: UiText;
  tabbable: boolean;
  label: string;
  onToggle: () => void;
  events: RowEvents;
}) {
  const acks = row.packets.length - row.segments;
  const direction = x2 >= x1 ? 1 : -1;
  const strands = row.expanded ? [] : [-5, 0, 5];
  return (
    <g
      className={styles.row}
      data-row={index}
      data-kind="burst"
      data-testid="burst"
      role="button"
      aria-expanded={row.expanded}
      aria-label={label}
      tabIndex={tabbable ? 0 : -1}
      onClick={onToggle}
      {...events}
    >
      <RowFrame
        left={left}
        right={right}
        top={top}
        height={ROW_HEIGHT.burst}
        timeRight={timeRight}
        timeY={top + 35}
        t={row.packets[0]!.t}
      />
      {strands.map((offset) => (
        <line
          key={offset}
          className={styles.strand}
          x1={x1}
          y1={top + 30 + offset}
          x2={x2 - direction * 2}
          y2={top + 38 + offset}
        />
      ))}
      {!row.expanded && (
        <polygon
          className={styles.strandHead}
          points={arrowHead(x1, top + 30, x2 - direction * 1.5, top + 38, 9)}
        />
      )}
      <text className={styles.label} x={(x1 + x2) / 2} y={top + 18} textAnchor="middle">
        <tspan className={styles.burstToggle}>{row.expanded ? '▾' : '▸'}</tspan>
        <tspan className={styles.labelHead} dx={5}>
          {t.wire.burst(row.segments, formatBytes(row.bytes))}
        </tspan>
        {acks > 0 && (
          <tspan className={styles.labelMeta} dx={7}>
            {t.wire.burstAcks(acks)}
          </tspan>
        )}
        <tspan className={styles.burstAction} dx={9}>
          {row.expanded ? t.wire.burstCollapse : t.wire.burstExpand}
        </tspan>
      </text>
    </g>
  );
}

/** The heading above a phase: its name and its segments in order (`SYN → SYN-ACK → ACK`). */
export function PhaseHeading({
  row,
  top,
  left,
  t,
  showConnection,
}: {
  row: PhaseRow;
  top: number;
  left: number;
  t: UiText;
  showConnection: boolean;
}) {
  const title = row.refused ? t.wire.phase.refused : t.wire.phase[row.phase];
  return (
    <g className={styles.heading} data-phase={row.phase} data-testid="phase-heading">
      <text x={left} y={top + 20}>
        <tspan className={styles.headingTitle}>{title}</tspan>
        <tspan className={styles.headingSteps} dx={10}>
          {row.steps.join(' → ')}
        </tspan>
        {showConnection && (
          <tspan className={styles.headingConn} dx={10}>
            {t.wire.connectionTag(row.conn)}
          </tspan>
        )}
      </text>
    </g>
  );
}

/** A bracket in the gutter spanning a phase, from its heading to its last packet. */
export function PhaseBracket({
  bracket,
  x,
  top,
  bottom,
}: {
  bracket: Bracket;
  x: number;
  top: number;
  bottom: number;
}) {
  const y1 = top + 12;
  const y2 = bottom - 10;
  return (
    <path
      className={styles.bracket}
      data-phase={bracket.phase}
      d={`M${x + 5} ${y1} h-5 V${y2} h5`}
      aria-hidden="true"
    />
  );
}
