'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { endpointLabel, hostPort } from '../../../lib/client/wire/endpoints.ts';
import type { OwnerLabeler } from '../../../lib/client/wire/endpoints.ts';
import { flagText } from '../../../lib/client/wire/flags.ts';
import { formatBytes, formatTime } from '../../../lib/client/wire/format.ts';
import {
  diagramGeometry,
  HEAD_HEIGHT,
  ROW_HEIGHT,
  rowHeight,
} from '../../../lib/client/wire/geometry.ts';
import { layoutSequence } from '../../../lib/client/wire/layout.ts';
import type { Lifeline, Row, SequenceLayout } from '../../../lib/client/wire/layout.ts';
import type { PacketSnapshot } from '../../../lib/client/wire/packet-log.ts';
import { rowAt, rowOffsets, scrollToShow, visibleRows } from '../../../lib/client/wire/viewport.ts';
import type { WirePacket } from '../../../lib/client/wire/wire-packet.ts';
import type { UiText } from '../../_i18n/ui-text.ts';
import { useUiText } from '../ui-text-context.tsx';
import { BurstBundle, PacketArrow, PhaseBracket, PhaseHeading } from './diagram-rows.tsx';
import type { RowEvents } from './diagram-rows.tsx';
import { HeaderCard } from './header-card.tsx';
import { useViewport } from './use-viewport.ts';
import styles from './sequence-view.module.css';

/** Blank space under the last row, so the lifelines end below it. */
const TAIL = 28;
const CARD_WIDTH = 300;
const CARD_HEIGHT = 250;
const KEY_STEPS: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 8, PageUp: -8 };

/**
 * The packets as a sequence diagram: one lifeline per endpoint, one arrow per packet in time
 * order, phase headings and brackets, collapsed bursts. Only the rows in view are rendered, so
 * thousands of packets scroll smoothly. Arrows take the keyboard focus (arrow keys move it) and
 * show the full header on focus or hover.
 */
export function SequenceView({
  snapshot,
  conn,
  labelOf,
  follow,
  id,
}: {
  snapshot: PacketSnapshot;
  /** Show only this connection. */
  conn: number | null;
  labelOf: OwnerLabeler;
  /** Keep the newest packet in view while packets stream in (until the reader scrolls up). */
  follow: boolean;
  /** Prefix for element ids. */
  id: string;
}) {
  const t = useUiText();
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  // The snapshot's array grows in place; its version says when.
  const layout = useMemo(
    () => layoutSequence(snapshot.packets, { conn, expanded }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [snapshot.version, snapshot.packets, conn, expanded],
  );
  const offsets = useMemo(() => rowOffsets(layout.rows, rowHeight), [layout]);
  const total = offsets[offsets.length - 1] ?? 0;
  const box = useRef<HTMLDivElement>(null);
  const { viewport, onScroll } = useViewport(box, total, follow);
  const geometry = useMemo(
    () => diagramGeometry(layout.columns, layout.lanes, viewport.width),
    [layout.columns, layout.lanes, viewport.width],
  );
  const xOf = (lifeline: number) => geometry.xs[layout.lifelines[lifeline]!.column]!;
  const rowsHeight = Math.max(0, viewport.height - HEAD_HEIGHT);
  const { first, last } = visibleRows(offsets, viewport.top, rowsHeight, 8);
  const [hover, setHover] = useState<number | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  const pendingFocus = useRef<number | null>(null);

  const toggle = useCallback((burst: number) => {
    setExpanded((old) => {
      const next = new Set(old);
      if (!next.delete(burst)) next.add(burst);
      return next;
    });
  }, []);

  const moveFocus = useCallback(
    (index: number) => {
      pendingFocus.current = index;
      setFocused(index);
      const scroll = scrollToShow(offsets, index, viewport.top, rowsHeight);
      if (scroll !== null && box.current) box.current.scrollTop = scroll;
    },
    [offsets, viewport.top, rowsHeight],
  );

  // Focus the row the keyboard moved to once it is rendered (it may have just scrolled in).
  useEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const element = box.current?.querySelector<SVGGElement>(`[data-row="${index}"]`);
    if (element) {
      element.focus({ preventScroll: true });
      pendingFocus.current = null;
    }
  });

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const current = rowIndexOf(event.target);
    if (current === null) return;
    const target = keyTarget(layout.rows, current, event.key);
    if (target !== null) {
      event.preventDefault();
      moveFocus(target);
    } else if ((event.key === 'Enter' || event.key === ' ') && layout.rows[current]) {
      const row = layout.rows[current]!;
      if (row.kind === 'burst') {
        event.preventDefault();
        toggle(row.id);
      }
    }
  };

  const events: RowEvents = {
    onFocus: (event) => setFocused(rowIndexOf(event.currentTarget)),
    onPointerEnter: (event) => setHover(rowIndexOf(event.currentTarget)),
    onPointerLeave: () => setHover(null),
  };

  const active = hover ?? focused;
  const activeRow = active !== null ? layout.rows[active] : undefined;
  const cardId = `${id}-card`;
  const tabRow = tabbableRow(layout.rows, focused, first, last);
  const windowTop = offsets[first] ?? 0;
  const windowBottom =
    (offsets[last + 1] ?? windowTop) + (last === layout.rows.length - 1 ? TAIL : 0);
  const names = useMemo(() => lifelineNames(layout.lifelines, labelOf), [layout, labelOf]);
  const showConnection = conn === null && new Set(layout.brackets.map((b) => b.conn)).size > 1;
  const right = geometry.width - 6;

  return (
    <div
      ref={box}
      className={styles.scroller}
      onScroll={onScroll}
      onPointerLeave={() => setHover(null)}
      data-testid="sequence-diagram"
    >
      <div
        className={styles.canvas}
        style={{ width: geometry.width, height: HEAD_HEIGHT + total + TAIL }}
      >
        <LifelineHeads
          lifelines={columnHeads(layout, rowAt(offsets, viewport.top))}
          xs={geometry.xs}
          labelOf={labelOf}
          t={t}
        />
        <svg
          className={styles.svg}
          width={geometry.width}
          height={windowBottom - windowTop}
          style={{ top: HEAD_HEIGHT + windowTop }}
          role="group"
          aria-label={t.wire.diagramLabel(layout.packets)}
          onKeyDown={onKeyDown}
          onBlur={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocused(null);
          }}
        >
          <g transform={`translate(0 ${-windowTop})`}>
            {layout.lifelines
              .filter((lifeline) => lifeline.last >= first && lifeline.first <= last)
              .map((lifeline) => {
                const x = xOf(lifeline.index);
                const starts = layout.rows[lifeline.first]?.kind === 'start';
                const top = offsets[lifeline.first]! + (starts ? ROW_HEIGHT.start - 6 : 0);
                const open = lifeline.last === layout.rows.length - 1;
                const bottom = open ? windowBottom : offsets[lifeline.last + 1]! - 6;
                return (
                  <g key={lifeline.index} className={styles.lifeline}>
                    <line x1={x} x2={x} y1={Math.max(top, windowTop)} y2={bottom} />
                    {!open && <line x1={x - 6} x2={x + 6} y1={bottom} y2={bottom} />}
                  </g>
                );
              })}
            {layout.brackets
              .filter((b) => b.last >= first && b.first <= last)
              .map((bracket) => (
                <PhaseBracket
                  key={`${bracket.conn}-${bracket.first}`}
                  bracket={bracket}
                  x={geometry.lanes[bracket.lane] ?? 0}
                  top={offsets[bracket.first]!}
                  bottom={offsets[bracket.last + 1]!}
                />
              ))}
            {layout.rows.slice(first, last + 1).map((row, offset) => {
              const index = first + offset;
              const top = offsets[index]!;
              if (row.kind === 'start')
                return (
                  <InlineHeads
                    key={row.key}
                    lifelines={row.lifelines.map((i) => layout.lifelines[i]!)}
                    top={top}
                    xOf={xOf}
                    labelOf={labelOf}
                  />
                );
              if (row.kind === 'phase')
                return (
                  <PhaseHeading
                    key={row.key}
                    row={row}
                    top={top}
                    left={geometry.left}
                    t={t}
                    showConnection={showConnection}
                  />
                );
              const x1 = xOf(row.from);
              const x2 = xOf(row.to);
              const common = {
                index,
                top,
                x1,
                x2,
                timeRight: geometry.timeRight,
                left: geometry.left - 4,
                right,
                t,
                events,
              };
              if (row.kind === 'burst')
                return (
                  <BurstBundle
                    key={row.key}
                    row={row}
                    {...common}
                    tabbable={index === tabRow}
                    label={t.wire.burstLabel(
                      row.segments,
                      formatBytes(row.bytes),
                      names[row.from]!,
                      names[row.to]!,
                      row.expanded,
                    )}
                    onToggle={() => toggle(row.id)}
                  />
                );
              return (
                <PacketArrow
                  key={row.key}
                  packet={row.packet}
                  {...common}
                  tabbable={index === tabRow}
                  label={arrowLabel(row.packet, names[row.from]!, names[row.to]!, t)}
                  describedBy={index === active ? cardId : undefined}
                />
              );
            })}
          </g>
        </svg>
        {activeRow?.kind === 'packet' && (
          <HeaderCard
            id={cardId}
            packet={activeRow.packet}
            labelOf={labelOf}
            {...cardPlace(
              xOf(activeRow.from),
              xOf(activeRow.to),
              offsets,
              active!,
              viewport,
              geometry.width,
            )}
          />
        )}
      </div>
    </div>
  );
}

/** Per column, the lifeline that occupies it at `row` (or the next one to, or the last one). */
function columnHeads(layout: SequenceLayout, row: number): Lifeline[] {
  return layout.byColumn.map((indices) => {
    const lifelines = indices.map((i) => layout.lifelines[i]!);
    const current = lifelines.findLast((lifeline) => lifeline.first <= row);
    return current && current.last >= row
      ? current
      : (lifelines.find((l) => l.first > row) ?? current!);
  });
}

/** Heads of lifelines that take over a column part way down, drawn where they start. */
function InlineHeads({
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
function LifelineHeads({
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

function rowIndexOf(target: EventTarget | null): number | null {
  const row = (target as Element | null)?.closest?.('[data-row]');
  return row ? Number(row.getAttribute('data-row')) : null;
}

/** The row a navigation key moves to from `current`, skipping headings; null if none. */
function keyTarget(rows: readonly Row[], current: number, key: string): number | null {
  const focusable = (i: number) => isInteractive(rows[i]);
  const seek = (from: number, step: number) => {
    for (let i = from; i >= 0 && i < rows.length; i += step) if (focusable(i)) return i;
    return null;
  };
  if (key === 'Home') return seek(0, 1);
  if (key === 'End') return seek(rows.length - 1, -1);
  const step = KEY_STEPS[key];
  if (step === undefined) return null;
  const target = Math.max(0, Math.min(rows.length - 1, current + step));
  return seek(target, step > 0 ? 1 : -1) ?? seek(target, step > 0 ? -1 : 1);
}

/** The one row Tab reaches: the focused one when it is rendered, else the first in view. */
function tabbableRow(
  rows: readonly Row[],
  focused: number | null,
  first: number,
  last: number,
): number {
  if (focused !== null && focused >= first && focused <= last && isInteractive(rows[focused]))
    return focused;
  for (let i = first; i <= last; i++) if (isInteractive(rows[i])) return i;
  return -1;
}

/** Rows that take the focus: arrows and bursts (headings and heads are read with them). */
function isInteractive(row: Row | undefined): boolean {
  return row?.kind === 'packet' || row?.kind === 'burst';
}

function lifelineNames(lifelines: Lifeline[], labelOf: OwnerLabeler): string[] {
  return lifelines.map((lifeline) => {
    const { owner, addr, port } = lifeline.endpoint;
    return owner !== undefined ? labelOf(owner) : hostPort(addr, port);
  });
}

/** What a screen reader says for an arrow. */
function arrowLabel(packet: WirePacket, from: string, to: string, t: UiText): string {
  const parts = [
    packet.proto === 'tcp' ? flagText(packet.flags) : packet.proto.toUpperCase(),
    packet.seq !== undefined ? `seq ${packet.seq}` : '',
    packet.ack !== undefined ? `ack ${packet.ack}` : '',
    t.wire.bytes(packet.len),
    packet.preview ? `“${packet.preview}”` : '',
    packet.icmp ?? '',
    packet.retrans ? t.wire.retrans : '',
    packet.dropped ? t.wire.dropped : '',
    packet.srcState ? t.wire.stateChange(from, packet.srcState) : '',
    packet.dstState ? t.wire.stateChange(to, packet.dstState) : '',
  ];
  const what = parts.filter(Boolean).join(', ');
  return t.wire.arrowLabel({ n: packet.n, time: formatTime(packet.t), from, to, what });
}

/** Where the header card goes: under its arrow, or above it near the bottom of the view. */
function cardPlace(
  x1: number,
  x2: number,
  offsets: Float64Array,
  index: number,
  viewport: { top: number; height: number },
  width: number,
): { left: number; top: number; above: boolean } {
  const middle = (x1 + x2) / 2;
  const left = Math.max(8, Math.min(width - CARD_WIDTH - 8, middle - CARD_WIDTH / 2));
  const rowTop = HEAD_HEIGHT + offsets[index]!;
  const rowBottom = rowTop + (offsets[index + 1]! - offsets[index]!);
  const above =
    rowBottom + CARD_HEIGHT > viewport.top + viewport.height && rowTop - CARD_HEIGHT > viewport.top;
  return { left, top: above ? rowTop + 4 : rowBottom - 2, above };
}
