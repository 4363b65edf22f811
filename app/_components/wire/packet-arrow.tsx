'use client';

/**
 * One packet of the sequence diagram: its slanted arrow (time passes while it travels), the
 * words above it (flags, numbers, a payload preview that fits) and the states it moved its two
 * ends to, on their lifelines.
 */
import type { FocusEvent, KeyboardEvent, PointerEvent } from 'react';
import { arrowKind } from '../../../lib/client/wire/arrow-kind.ts';
import type { ArrowKind } from '../../../lib/client/wire/arrow-kind.ts';
import { flagText } from '../../../lib/client/wire/flags.ts';
import { arrowHead, ROW_HEIGHT } from '../../../lib/client/wire/geometry.ts';
import { clip, formatMsShort, formatTime } from '../../../lib/client/wire/format.ts';
import type { WirePacket } from '../../../lib/client/wire/wire-packet.ts';
import type { UiText } from '../../_i18n/ui-text.ts';
import { faultTags } from './fault-tags.ts';
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
  const faults = faultTags(packet, t);
  const tag = faults.length > 0 ? faults.join(' · ') : packet.retrans ? t.wire.retrans : '';
  // Estimated widths (bold capitals, sans text, monospace preview) against the arrow's length.
  let left = room - head.length * 7.6 - (tag ? tag.length * 7 + 8 : 0);
  const shownMeta = left >= meta.length * 6.3 + 8 ? meta : '';
  left -= shownMeta ? shownMeta.length * 6.3 + 8 : 0;
  const chars = Math.floor((left - 8) / 6.9) - 2;
  // A TLS record's bytes are ciphertext or binary: its name says more than they do (and it
  // takes the room of the two quotes a preview has).
  const quoted = packet.preview && chars >= 5 ? `“${clip(packet.preview, chars)}”` : '';
  const preview = packet.tls ? (chars >= 5 ? clip(`TLS ${packet.tls}`, chars + 2) : '') : quoted;
  return { head, meta: shownMeta, preview, tag };
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
  from,
  to,
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
  /** Names of the sender and the receiver, for screen readers. */
  from: string;
  to: string;
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
      aria-label={arrowLabel(packet, from, to, t)}
      aria-describedby={describedBy}
      tabIndex={tabbable ? 0 : -1}
      {...events}
    >
      <RowFrame
        left={left}
        right={right}
        top={top}
        height={ROW_HEIGHT.packet}
        timeRight={timeRight}
        timeY={y1 + 4}
        t={packet.t}
      />
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

/** What a screen reader says for an arrow. */
/** A row's hover/focus background and its time, shared by packet arrows and bursts. */
export function RowFrame(props: {
  left: number;
  right: number;
  top: number;
  height: number;
  timeRight: number;
  timeY: number;
  /** Milliseconds since the run started. */
  t: number;
}) {
  const { left, right, top, height, timeRight, timeY, t } = props;
  return (
    <>
      <rect
        className={styles.rowBg}
        x={left}
        y={top + 2}
        width={right - left}
        height={height - 4}
        rx={6}
      />
      <text className={styles.time} x={timeRight} y={timeY} textAnchor="end">
        {formatMsShort(t)}
      </text>
    </>
  );
}

function arrowLabel(packet: WirePacket, from: string, to: string, t: UiText): string {
  const parts = [
    packet.proto === 'tcp' ? flagText(packet.flags) : packet.proto.toUpperCase(),
    packet.seq !== undefined ? `seq ${packet.seq}` : '',
    packet.ack !== undefined ? `ack ${packet.ack}` : '',
    t.wire.bytes(packet.len),
    packet.tls ? `TLS ${packet.tls}` : '',
    packet.preview ? `“${packet.preview}”` : '',
    packet.icmp ?? '',
    packet.retrans ? t.wire.retrans : '',
    ...faultTags(packet, t),
    packet.srcState ? t.wire.stateChange(from, packet.srcState) : '',
    packet.dstState ? t.wire.stateChange(to, packet.dstState) : '',
  ];
  const what = parts.filter(Boolean).join(', ');
  return t.wire.arrowLabel({ n: packet.n, time: formatTime(packet.t), from, to, what });
}
