'use client';

/**
 * The SVG pieces of one sequence-diagram row: a packet's arrow with its label and the states it
 * caused, a collapsed burst, a phase heading, a phase bracket. Coordinates are absolute within
 * the drawing; the diagram windows them.
 */
import type { FocusEvent, KeyboardEvent, PointerEvent } from 'react';
import { arrowKind } from '../../../lib/client/wire/arrow-kind.ts';
import type { ArrowKind } from '../../../lib/client/wire/arrow-kind.ts';
import { flagText } from '../../../lib/client/wire/flags.ts';
import { ROW_HEIGHT } from '../../../lib/client/wire/geometry.ts';
import type { Bracket, BurstRow, PhaseRow } from '../../../lib/client/wire/layout.ts';
import { clip, formatBytes, formatMsShort } from '../../../lib/client/wire/format.ts';
import type { WirePacket } from '../../../lib/client/wire/wire-packet.ts';
import type { UiText } from '../../_i18n/ui-text.ts';
import styles from './sequence-view.module.css';

/** Where an arrow's line starts and ends within its row (slanted: the packet takes time). */
const ARROW_FROM = 26;
const ARROW_TO = 35;
const LABEL_Y = 18;

/** What every interactive row needs from the diagram. */
export interface RowEvents {
  onFocus: (event: FocusEvent<SVGGElement>) => void;
  onPointerEnter: (event: PointerEvent<SVGGElement>) => void;
  onPointerLeave: () => void;
  onKeyDown?: (event: KeyboardEvent<SVGGElement>) => void;
}

/** The words above an arrow: flags, numbers, a payload preview that fits, a tag. */
function arrowWords(
  packet: WirePacket,
  kind: ArrowKind,
  t: UiText,
  room: number,
): { head: string; meta: string; preview: string; tag: string } {
  const head =
    packet.proto === 'tcp' ? flagText(packet.flags) || 'TCP' : packet.proto.toUpperCase();
  const numbers = [
    packet.seq !== undefined && (kind !== 'ack' || packet.len > 0) ? `seq ${packet.seq}` : '',
    packet.ack !== undefined && kind !== 'data' ? `ack ${packet.ack}` : '',
    packet.len > 0 && packet.proto !== 'icmp' ? `${packet.len} B` : '',
  ].filter(Boolean);
  const meta = packet.proto === 'icmp' ? (packet.icmp ?? '') : numbers.join(' · ');
  const tag = packet.dropped ? t.wire.dropped : packet.retrans ? t.wire.retrans : '';
  // Estimated widths (bold capitals, sans text, monospace preview) against the arrow's length.
  let left = room - head.length * 7.6 - (tag ? tag.length * 7 + 8 : 0);
  const shownMeta = left >= meta.length * 6.3 + 8 ? meta : '';
  left -= shownMeta ? shownMeta.length * 6.3 + 8 : 0;
  const chars = Math.floor((left - 8) / 6.9) - 2;
  const preview = packet.preview && chars >= 5 ? `“${clip(packet.preview, chars)}”` : '';
  return { head, meta: shownMeta, preview, tag };
}

/** The head of an arrow ending at (x, y), pointing along the line from (fromX, fromY). */
function arrowHead(fromX: number, fromY: number, x: number, y: number, size = 8): string {
  const angle = Math.atan2(y - fromY, x - fromX);
  const point = (turn: number) =>
    `${x - size * Math.cos(angle + turn)},${y - size * Math.sin(angle + turn)}`;
  return `${x},${y} ${point(0.42)} ${point(-0.42)}`;
}

/** A short label on a lifeline: the state an endpoint entered. */
function StateChip({ x, y, state, side }: { x: number; y: number; state: string; side: 1 | -1 }) {
  const width = state.length * 6.2 + 12;
  const left = side === 1 ? x + 7 : x - 7 - width;
  return (
    <g className={styles.chip} data-state={state} aria-hidden="true">
      <rect x={left} y={y - 8.5} width={width} height={17} rx={8.5} />
      <text x={left + width / 2} y={y + 3.5} textAnchor="middle">
        {state}
      </text>
    </g>
  );
}

/** One packet: its arrow, its label, and the states it moved its ends to. */
export function PacketArrow({
  packet,
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
  describedBy,
  events,
}: {
  packet: WirePacket;
  index: number;
  top: number;
  x1: number;
  x2: number;
  timeRight: number;
  left: number;
  right: number;
  t: UiText;
  tabbable: boolean;
  label: string;
  describedBy?: string;
  events: RowEvents;
}) {
  const kind = arrowKind(packet);
  const y1 = top + ARROW_FROM;
  const y2 = top + ARROW_TO;
  const direction = x2 >= x1 ? 1 : -1;
  const lost = packet.dropped === true;
  // A lost packet stops part way, where it was dropped.
  const endX = lost ? x1 + (x2 - x1) * 0.58 : x2 - direction * 1.5;
  const endY = lost ? y1 + (y2 - y1) * 0.58 : y2;
  const words = arrowWords(packet, kind, t, Math.abs(x2 - x1) - 20);
  const self = x1 === x2;
  return (
    <g
      className={styles.row}
      data-row={index}
      data-kind={kind}
      data-n={packet.n}
      data-testid="arrow"
      role="img"
      aria-label={label}
      aria-describedby={describedBy}
      tabIndex={tabbable ? 0 : -1}
      {...events}
    >
      <rect
        className={styles.rowBg}
        x={left}
        y={top + 2}
        width={right - left}
        height={ROW_HEIGHT.packet - 4}
        rx={6}
      />
      <text className={styles.time} x={timeRight} y={y1 + 4} textAnchor="end">
        {formatMsShort(packet.t)}
      </text>
      {self ? (
        <path className={styles.line} d={`M${x1} ${y1} h36 v${y2 - y1} h-34`} fill="none" />
      ) : (
        <line className={styles.line} x1={x1} y1={y1} x2={endX} y2={endY} />
      )}
      {lost ? (
        <path
          className={styles.cross}
          d={`M${endX - 5} ${endY - 5} l10 10 M${endX + 5} ${endY - 5} l-10 10`}
        />
      ) : (
        <polygon className={styles.tip} points={arrowHead(x1, y1, endX, endY)} />
      )}
      <text
        className={styles.label}
        x={(x1 + x2) / 2 + (self ? 40 : 0)}
        y={top + LABEL_Y}
        textAnchor={self ? 'start' : 'middle'}
      >
        <tspan className={styles.labelHead}>{words.head}</tspan>
        {words.meta && (
          <tspan className={styles.labelMeta} dx={7}>
            {words.meta}
          </tspan>
        )}
        {words.preview && (
          <tspan className={styles.labelPreview} dx={7}>
            {words.preview}
          </tspan>
        )}
        {words.tag && (
          <tspan className={styles.labelTag} dx={7}>
            {words.tag}
          </tspan>
        )}
      </text>
      {packet.srcState && (
        <StateChip x={x1} y={y1} state={packet.srcState} side={direction === 1 ? -1 : 1} />
      )}
      {packet.dstState && !lost && (
        <StateChip x={x2} y={y2} state={packet.dstState} side={direction === 1 ? 1 : -1} />
      )}
    </g>
  );
}

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
      <rect
        className={styles.rowBg}
        x={left}
        y={top + 2}
        width={right - left}
        height={ROW_HEIGHT.burst - 4}
        rx={6}
      />
      <text className={styles.time} x={timeRight} y={top + 35} textAnchor="end">
        {formatMsShort(row.packets[0]!.t)}
      </text>
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
