'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, KeyboardEvent } from 'react';
import {
  axisTicks,
  connectionLanes,
  dataRuns,
  laneNames,
  peakServed,
  servedOverlaps,
  timeSpan,
} from '../../../lib/client/wire/connection-lanes.ts';
import type { ConnectionLane } from '../../../lib/client/wire/connection-lanes.ts';
import { endpointLabel } from '../../../lib/client/wire/endpoints.ts';
import type { OwnerLabeler } from '../../../lib/client/wire/endpoints.ts';
import { formatBytes, formatTime } from '../../../lib/client/wire/format.ts';
import { scrollToShow, visibleRows } from '../../../lib/client/wire/viewport.ts';
import type { WirePacket } from '../../../lib/client/wire/wire-packet.ts';
import type { UiText } from '../../_i18n/ui-text.ts';
import { scrollRegion, useOverflows } from '../use-overflows.ts';
import { useUiText } from '../ui-text-context.tsx';
import { useViewport } from './use-viewport.ts';
import type { WireViewProps } from './view-props.ts';
import styles from './connection-timeline.module.css';

/** Height of one lane, in pixels (fixed, so only the lanes in view are put in the DOM). */
const LANE_HEIGHT = 30;
/** Width of the lane names' column, in pixels (also in the CSS). */
const NAME_WIDTH = 220;
/** Data segments the same way closer than this many pixels draw as one bar. */
const MERGE_PX = 3;

/** Everything the lanes and the table show, derived once per change of the packets. */
interface Model {
  lanes: ConnectionLane[];
  names: { client: string; server: string }[];
  overlaps: number[];
  peak: number;
  start: number;
  end: number;
}

/**
 * One lane per TCP connection on a shared time axis: when the handshake completed, when bytes
 * moved each way, when each end sent FIN or RST, and the span in which the server answered, so a
 * server that serves connections one after another draws a staircase and a concurrent one draws
 * overlapping lanes. A table lists the same times for keyboards and screen readers.
 */
export function ConnectionTimeline({ snapshot, conn, labelOf }: WireViewProps) {
  const t = useUiText();
  const [asTable, setAsTable] = useState(false);
  const model = useMemo(
    () => timelineModel(snapshot.packets, conn, labelOf),
    [snapshot, conn, labelOf],
  );
  if (model.lanes.length === 0) return <p className={styles.empty}>{t.wire.statesEmpty}</p>;
  return (
    <div
      className={styles.timeline}
      data-testid="connection-timeline"
      data-peak={model.peak}
      data-lanes={model.lanes.length}
    >
      <div className={styles.bar}>
        <p className={styles.summary}>{t.wire.timelineSummary(model.lanes.length, model.peak)}</p>
        <div role="group" aria-label={t.wire.timelineShow} className={styles.switch}>
          <button type="button" aria-pressed={!asTable} onClick={() => setAsTable(false)}>
            {t.wire.timelineLanes}
          </button>
          <button
            type="button"
            aria-pressed={asTable}
            onClick={() => setAsTable(true)}
            data-testid="timeline-as-table"
          >
            {t.wire.timelineTable}
          </button>
        </div>
      </div>
      {asTable ? <LaneTable model={model} t={t} /> : <Lanes model={model} t={t} />}
    </div>
  );
}

function timelineModel(
  packets: readonly WirePacket[],
  conn: number | null,
  labelOf: OwnerLabeler,
): Model {
  const all = connectionLanes(packets);
  // The axis stays the whole capture's when one connection is chosen, so its place shows.
  const { start, end } = timeSpan(all);
  const lanes = conn === null ? all : all.filter((lane) => lane.conn === conn);
  const names = laneNames(lanes, (endpoint) => endpointLabel(endpoint, labelOf).label);
  return { lanes, names, overlaps: servedOverlaps(lanes), peak: peakServed(lanes), start, end };
}

/** The drawing: an axis, a legend, and the lanes in view. Arrow keys move between lanes. */
function Lanes({ model, t }: { model: Model; t: UiText }) {
  const box = useRef<HTMLDivElement>(null);
  const total = model.lanes.length * LANE_HEIGHT;
  const { viewport, onScroll } = useViewport(box, total, false, LANE_HEIGHT * 2);
  const offsets = useMemo(
    () => Float64Array.from({ length: model.lanes.length + 1 }, (_, i) => i * LANE_HEIGHT),
    [model.lanes.length],
  );
  const [focused, setFocused] = useState(0);
  const current = Math.min(focused, model.lanes.length - 1);
  const { first, last } = visibleRows(offsets, viewport.top, viewport.height + LANE_HEIGHT * 2, 4);
  const trackWidth = Math.max(80, viewport.width - NAME_WIDTH - 24);
  const span = Math.max(model.end - model.start, 1e-3);
  const gapMs = (span / trackWidth) * MERGE_PX;
  const at = (time: number) => ((time - model.start) / span) * 100;
  const pendingFocus = useRef(false);
  useEffect(() => {
    if (!pendingFocus.current) return;
    pendingFocus.current = false;
    box.current?.querySelector<HTMLElement>(`[data-index="${current}"]`)?.focus();
  });
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const next = nextLane(event.key, current, model.lanes.length, viewport.height);
    if (next === null) return;
    event.preventDefault();
    setFocused(next);
    pendingFocus.current = true;
    const scroll = scrollToShow(offsets, next, box.current?.scrollTop ?? 0, viewport.height);
    if (scroll !== null && box.current) box.current.scrollTop = scroll;
  };
  return (
    <>
      <Legend t={t} />
      <Axis model={model} at={at} t={t} />
      <div
        ref={box}
        className={styles.scroller}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        data-testid="timeline-lanes"
      >
        <div
          role="list"
          aria-label={t.wire.timelineLabel(model.lanes.length)}
          className={styles.canvas}
          style={{ height: total }}
        >
          {model.lanes.slice(first, last + 1).map((lane, offset) => {
            const index = first + offset;
            return (
              <Lane
                key={lane.conn}
                lane={lane}
                index={index}
                count={model.lanes.length}
                name={model.names[index]!}
                overlaps={model.overlaps[index]!}
                tabbable={index === current}
                at={at}
                gapMs={gapMs}
                onFocus={() => setFocused(index)}
                t={t}
              />
            );
          })}
        </div>
      </div>
    </>
  );
}

/** The lane to focus after `key`, or null when the key does not move. */
function nextLane(key: string, current: number, count: number, height: number): number | null {
  const page = Math.max(1, Math.floor(height / LANE_HEIGHT) - 1);
  const moves: Record<string, number> = {
    ArrowDown: current + 1,
    ArrowUp: current - 1,
    PageDown: current + page,
    PageUp: current - page,
    Home: 0,
    End: count - 1,
  };
  const next = moves[key];
  return next === undefined ? null : Math.max(0, Math.min(count - 1, next));
}

/** One connection: its life as a line, the accept, data bars (out above, back below), FIN, RST. */
function Lane({
  lane,
  index,
  count,
  name,
  overlaps,
  tabbable,
  at,
  gapMs,
  onFocus,
  t,
}: {
  lane: ConnectionLane;
  index: number;
  count: number;
  name: { client: string; server: string };
  overlaps: number;
  tabbable: boolean;
  at: (time: number) => number;
  gapMs: number;
  onFocus: () => void;
  t: UiText;
}) {
  const end = lane.closed ?? lane.last;
  const place = (from: number, to: number): CSSProperties => ({
    left: `${at(from)}%`,
    width: `max(2px, ${at(to) - at(from)}%)`,
  });
  const runs = useMemo(() => dataRuns(lane.data, gapMs), [lane.data, gapMs]);
  return (
    <div
      role="listitem"
      className={styles.lane}
      style={{ top: index * LANE_HEIGHT }}
      tabIndex={tabbable ? 0 : -1}
      onFocus={onFocus}
      aria-setsize={count}
      aria-posinset={index + 1}
      aria-label={laneSentence(lane, name, overlaps, t)}
      data-testid="timeline-lane"
      data-index={index}
      data-conn={lane.conn}
      data-overlaps={overlaps}
      data-served-from={lane.served?.from}
      data-served-to={lane.served?.to}
    >
      <span className={styles.name} aria-hidden="true">
        <span className={styles.client}>{name.client}</span>
        <span className={styles.arrow}>→</span>
        <span className={styles.server}>{name.server}</span>
      </span>
      <span className={styles.track} aria-hidden="true">
        <span className={styles.life} style={place(lane.first, end)} />
        {lane.accepted !== null && (
          <span className={styles.open} style={place(lane.accepted, end)} />
        )}
        {lane.served && (
          <span className={styles.served} style={place(lane.served.from, lane.served.to)} />
        )}
        {lane.accepted !== null && (
          <span className={styles.accept} style={{ left: `${at(lane.accepted)}%` }} />
        )}
        {runs.map((run) => (
          <span
            key={`${run.dir}${run.from}`}
            className={run.dir === 'ab' ? styles.out : styles.back}
            style={place(run.from, run.to)}
          />
        ))}
        {(['a', 'b'] as const).map((side) => {
          const fin = lane.fin[side];
          return fin === null ? null : (
            <span key={side} className={styles.fin} style={{ left: `${at(fin)}%` }} />
          );
        })}
        {lane.reset && <span className={styles.reset} style={{ left: `${at(lane.reset.t)}%` }} />}
      </span>
    </div>
  );
}

/** What a screen reader says for a lane: who, when each thing happened, how many bytes. */
function laneSentence(
  lane: ConnectionLane,
  name: { client: string; server: string },
  overlaps: number,
  t: UiText,
): string {
  const time = (ms: number | null) => (ms === null ? t.wire.timelineNever : formatTime(ms));
  return t.wire.timelineLaneLabel({
    conn: lane.conn,
    client: name.client,
    server: name.server,
    accepted: time(lane.accepted),
    firstByte: time(lane.firstByte),
    lastByte: time(lane.lastByte),
    closed: closedText(lane, name, t),
    sent: formatBytes(lane.bytes.ab),
    received: formatBytes(lane.bytes.ba),
    overlaps,
  });
}

/** How the lane ended: `1.204 s (FIN both ways)`, `… (RST from server.py)`, half-closed, or open. */
function closedText(
  lane: ConnectionLane,
  name: { client: string; server: string },
  t: UiText,
): string {
  if (lane.reset) {
    const who = lane.reset.by === 'a' ? name.client : name.server;
    return `${formatTime(lane.reset.t)} (${t.wire.timelineReset(who)})`;
  }
  if (lane.closed !== null) return `${formatTime(lane.closed)} (${t.wire.timelineFins})`;
  const fin = lane.fin.a ?? lane.fin.b;
  if (fin !== null) {
    const who = lane.fin.a !== null ? name.client : name.server;
    return `${formatTime(fin)} (${t.wire.timelineHalfClosed(who)})`;
  }
  return t.wire.timelineOpen;
}

/** The shared time axis, above the lanes' tracks. */
function Axis({ model, at, t }: { model: Model; at: (time: number) => number; t: UiText }) {
  const ticks = axisTicks(model.start, model.end, 6).filter((tick) => tick >= model.start);
  return (
    <div className={styles.axis} aria-hidden="true">
      <span className={styles.axisName}>{t.wire.timelineAxis}</span>
      <span className={styles.axisTrack}>
        {ticks.map((tick) => (
          <span key={tick} className={styles.tick} style={{ left: `${at(tick)}%` }}>
            {tickText(tick)}
          </span>
        ))}
      </span>
    </div>
  );
}

function tickText(ms: number): string {
  return ms < 1000 ? `${Number(ms.toPrecision(6))} ms` : `${Number((ms / 1000).toPrecision(6))} s`;
}

/** What each mark means, with the mark itself drawn beside its words. */
function Legend({ t }: { t: UiText }) {
  const items: [string, string][] = [
    [styles.accept!, t.wire.legendAccepted],
    [styles.out!, t.wire.legendOut],
    [styles.back!, t.wire.legendBack],
    [styles.served!, t.wire.legendServed],
    [styles.fin!, t.wire.legendFin],
    [styles.reset!, t.wire.legendReset],
  ];
  return (
    <ul className={styles.legend}>
      {items.map(([mark, words]) => (
        <li key={words}>
          <span className={styles.sample} aria-hidden="true">
            <span className={mark} />
          </span>
          {words}
        </li>
      ))}
    </ul>
  );
}

/** The table alternative: one row per connection with its times and bytes. */
function LaneTable({ model, t }: { model: Model; t: UiText }) {
  const [box, scrolls] = useOverflows<HTMLDivElement>();
  const time = (ms: number | null) => (ms === null ? '—' : formatTime(ms));
  const c = t.wire.timelineColumn;
  return (
    <div ref={box} className={styles.tableBox} {...scrollRegion(scrolls, t.wire.timelineCaption)}>
      <table className={styles.table} data-testid="timeline-table">
        <caption className="visually-hidden">{t.wire.timelineCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{c.connection}</th>
            <th scope="col">{c.accepted}</th>
            <th scope="col">{c.firstByte}</th>
            <th scope="col">{c.lastByte}</th>
            <th scope="col">{c.closed}</th>
            <th scope="col">{c.sent}</th>
            <th scope="col">{c.received}</th>
            <th scope="col">{c.overlaps}</th>
          </tr>
        </thead>
        <tbody>
          {model.lanes.map((lane, i) => (
            <tr key={lane.conn} data-conn={lane.conn}>
              <th scope="row">
                {lane.conn} · {model.names[i]!.client} → {model.names[i]!.server}
              </th>
              <td>{time(lane.accepted)}</td>
              <td>{time(lane.firstByte)}</td>
              <td>{time(lane.lastByte)}</td>
              <td>{closedText(lane, model.names[i]!, t)}</td>
              <td>{formatBytes(lane.bytes.ab)}</td>
              <td>{formatBytes(lane.bytes.ba)}</td>
              <td>{model.overlaps[i]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
