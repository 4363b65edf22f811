'use client';

import { useCallback, useMemo, useRef, useState } from 'react';
import { hostPort } from '../../../lib/client/wire/endpoints.ts';
import type { OwnerLabeler } from '../../../lib/client/wire/endpoints.ts';
import { formatBytes } from '../../../lib/client/wire/format.ts';
import { diagramGeometry, HEAD_HEIGHT, rowHeight } from '../../../lib/client/wire/geometry.ts';
import { layoutSequence } from '../../../lib/client/wire/layout.ts';
import type { Lifeline } from '../../../lib/client/wire/layout.ts';
import { cardPosition, columnHeads, tabbableRow } from '../../../lib/client/wire/navigation.ts';
import type { PacketSnapshot } from '../../../lib/client/wire/packet-log.ts';
import { rowAt, rowOffsets, visibleRows } from '../../../lib/client/wire/viewport.ts';
import { useUiText } from '../ui-text-context.tsx';
import { BurstBundle, PhaseBracket, PhaseHeading } from './diagram-rows.tsx';
import { InlineHeads, LifelineHeads, LifelineLines } from './lifelines.tsx';
import { useDiagramFocus } from './use-diagram-focus.ts';
import { PacketArrow } from './packet-arrow.tsx';
import { HeaderCard } from './header-card.tsx';
import { useViewport } from './use-viewport.ts';
import styles from './sequence-view.module.css';

/** Blank space under the last row, so the lifelines end below it. */
const TAIL = 28;
/** Scrolling re-renders the window every this many pixels (two rows), not every frame. */
const SCROLL_QUANTUM = 92;

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
  // The snapshot is a new object whenever its packets (an array grown in place) change.
  const layout = useMemo(
    () => layoutSequence(snapshot.packets, { conn, expanded }),
    [snapshot, conn, expanded],
  );
  const offsets = useMemo(() => rowOffsets(layout.rows, rowHeight), [layout]);
  const total = offsets[offsets.length - 1] ?? 0;
  const box = useRef<HTMLDivElement>(null);
  const { viewport, onScroll } = useViewport(box, total, follow, SCROLL_QUANTUM);
  const geometry = useMemo(
    () => diagramGeometry(layout.columns, layout.lanes, viewport.width),
    [layout.columns, layout.lanes, viewport.width],
  );
  const xOf = (lifeline: number) => geometry.xs[layout.lifelines[lifeline]!.column]!;
  const rowsHeight = Math.max(0, viewport.height - HEAD_HEIGHT);
  // The window covers the quantum the scroll position was rounded down by.
  const { first, last } = visibleRows(offsets, viewport.top, rowsHeight + SCROLL_QUANTUM, 6);
  const toggle = useCallback((burst: number) => {
    setExpanded((old) => {
      const next = new Set(old);
      if (!next.delete(burst)) next.add(burst);
      return next;
    });
  }, []);
  const focus = useDiagramFocus(box, layout.rows, offsets, rowsHeight, toggle);
  const { hover, focused, events } = focus;

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
      onPointerLeave={focus.leave}
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
          onKeyDown={focus.onKeyDown}
          onBlur={focus.onBlur}
        >
          <g transform={`translate(0 ${-windowTop})`}>
            <LifelineLines
              layout={layout}
              offsets={offsets}
              first={first}
              last={last}
              bottom={windowBottom}
              xOf={xOf}
            />
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
                  from={names[row.from]!}
                  to={names[row.to]!}
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
            {...cardPosition(xOf(activeRow.from), xOf(activeRow.to), offsets, active!, {
              ...viewport,
              width: geometry.width,
            })}
          />
        )}
      </div>
    </div>
  );
}

function lifelineNames(lifelines: Lifeline[], labelOf: OwnerLabeler): string[] {
  return lifelines.map((lifeline) => {
    const { owner, addr, port } = lifeline.endpoint;
    return owner !== undefined ? labelOf(owner) : hostPort(addr, port);
  });
}
