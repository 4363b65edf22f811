'use client';

import { useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { summarizeConnections } from '../../../lib/client/wire/connections.ts';
import type { ConnectionSummary } from '../../../lib/client/wire/connections.ts';
import { endpointLabel } from '../../../lib/client/wire/endpoints.ts';
import { formatBytes } from '../../../lib/client/wire/format.ts';
import type { OwnerLabeler } from '../../../lib/client/wire/endpoints.ts';
import type { PacketSnapshot } from '../../../lib/client/wire/packet-log.ts';
import type { UiText } from '../../_i18n/ui-text.ts';
import { useUiText } from '../ui-text-context.tsx';
import { PacketTable } from './packet-table.tsx';
import { ConnectionTimeline } from './connection-timeline.tsx';
import { SequenceView } from './sequence-view.tsx';
import { StateTimelines } from './state-timelines.tsx';
import tabStyles from './tabs.module.css';
import styles from './wire-panel.module.css';

/** The four ways to look at a capture. */
export type WireView = 'diagram' | 'timeline' | 'states' | 'table';
const VIEWS: WireView[] = ['diagram', 'timeline', 'states', 'table'];

/** A capture the learner can download: a URL the browser saves as `fileName`. */
export interface CaptureDownload {
  href: string;
  fileName: string;
  /** Size of the file in bytes, shown with the link when known. */
  bytes?: number;
}

/** The download of a capture, or why there is none: not yet (run going) or no longer (expired). */
export type DownloadOffer = CaptureDownload | 'pending' | 'expired' | null;

/**
 * A capture's packets as a sequence diagram, a timeline of connections, per-connection socket
 * states, or a table, with a
 * connection filter and (when the capture can be downloaded) a "Download .pcap" link with its size.
 */
export function WirePanel({
  snapshot,
  labelOf,
  follow,
  notice,
  download,
  emptyText,
  initialView = 'diagram',
  initialConn = null,
}: {
  snapshot: PacketSnapshot;
  labelOf: OwnerLabeler;
  /** Keep the newest packet in view while a run streams them. */
  follow: boolean;
  /** A notice above the views (e.g. the capture was truncated). */
  notice: string | null;
  download: DownloadOffer;
  /** What to say while there are no packets. */
  emptyText: string;
  initialView?: WireView;
  initialConn?: number | null;
}) {
  const t = useUiText();
  const id = useId();
  const [view, setView] = useState<WireView>(initialView);
  const [chosenConn, setConn] = useState<number | null>(initialConn);
  const { packets } = snapshot;
  // The snapshot is a new object whenever its packets (an array grown in place) change.
  const connections = useMemo(() => summarizeConnections(snapshot.packets), [snapshot]);
  // A filter on a connection of an earlier run means nothing now.
  const conn = connections.some((c) => c.conn === chosenConn) ? chosenConn : null;
  const filtered = useMemo(
    () => (conn === null ? snapshot.packets : snapshot.packets.filter((p) => p.conn === conn)),
    [snapshot, conn],
  );
  return (
    <div className={styles.panel} data-testid="wire-panel">
      <div className={styles.toolbar}>
        <ViewTabs id={id} view={view} onChange={setView} t={t} />
        {connections.length > 1 && (
          <label className={styles.filter}>
            <span>{t.wire.connection}</span>
            <select
              value={conn ?? ''}
              onChange={(event) => setConn(event.target.value ? Number(event.target.value) : null)}
            >
              <option value="">{t.wire.allConnections}</option>
              {connections.map((c) => (
                <option key={c.conn} value={c.conn}>
                  {connectionName(c, labelOf, t)}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className={styles.count} data-testid="packet-count">
          {t.wire.packets(packets.length)}
        </span>
        <DownloadLink offer={download} t={t} />
      </div>
      {notice && (
        <p className={styles.notice} role="status">
          {notice}
        </p>
      )}
      <div
        id={`${id}-panel`}
        role="tabpanel"
        aria-labelledby={`${id}-${view}`}
        className={styles.body}
      >
        {packets.length === 0 ? (
          <p className={styles.empty}>{emptyText}</p>
        ) : view === 'diagram' ? (
          <SequenceView
            snapshot={snapshot}
            conn={conn}
            labelOf={labelOf}
            follow={follow}
            id={`${id}-diagram`}
          />
        ) : view === 'timeline' ? (
          <ConnectionTimeline snapshot={snapshot} conn={conn} labelOf={labelOf} />
        ) : view === 'states' ? (
          <StateTimelines snapshot={snapshot} conn={conn} labelOf={labelOf} />
        ) : (
          <PacketTable packets={filtered} total={packets.length} labelOf={labelOf} />
        )}
      </div>
    </div>
  );
}

/** Sequence | Timeline | Socket states | Table, as ARIA tabs (arrow keys move between them). */
function ViewTabs({
  id,
  view,
  onChange,
  t,
}: {
  id: string;
  view: WireView;
  onChange: (view: WireView) => void;
  t: UiText;
}) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = VIEWS[(VIEWS.indexOf(view) + step + VIEWS.length) % VIEWS.length]!;
    onChange(next);
    list.current?.querySelector<HTMLElement>(`[data-view="${next}"]`)?.focus();
  };
  return (
    <div
      ref={list}
      role="tablist"
      aria-label={t.wire.views}
      className={styles.tabs}
      onKeyDown={onKeyDown}
    >
      {VIEWS.map((name) => (
        <button
          key={name}
          id={`${id}-${name}`}
          type="button"
          role="tab"
          aria-selected={view === name}
          aria-controls={`${id}-panel`}
          tabIndex={view === name ? 0 : -1}
          data-view={name}
          className={`${tabStyles.tab} ${styles.tab}`}
          onClick={() => onChange(name)}
        >
          {t.wire[name]}
        </button>
      ))}
    </div>
  );
}

function connectionName(c: ConnectionSummary, labelOf: OwnerLabeler, t: UiText): string {
  const a = endpointLabel(c.a, labelOf);
  const b = endpointLabel(c.b, labelOf);
  const side = (e: { label: string; detail: string }, port?: number) =>
    e.detail && port !== undefined ? `${e.label}:${port}` : e.label;
  const arrow = c.proto === 'tcp' ? '⇄' : '→';
  return `${c.conn} · ${c.proto.toUpperCase()} ${side(a, c.a.port)} ${arrow} ${side(b, c.b.port)} (${t.wire.packets(c.packets)})`;
}

/**
 * "Download .pcap (1.2 KiB)" as a real link with `download`; while there is nothing to fetch
 * (the run goes on, or the server dropped the file) a disabled link saying why.
 */
function DownloadLink({ offer, t }: { offer: DownloadOffer; t: UiText }) {
  if (offer === null) return null;
  if (typeof offer === 'string')
    return (
      <span
        role="link"
        aria-disabled="true"
        className={`btn btn-ghost ${styles.download}`}
        title={offer === 'pending' ? t.wire.downloadPending : t.wire.downloadExpired}
        data-testid="pcap-download"
        data-offer={offer}
      >
        <DownloadIcon /> {t.wire.download}
      </span>
    );
  return (
    <a
      className={`btn btn-ghost ${styles.download}`}
      href={offer.href}
      download={offer.fileName}
      title={t.wire.downloadHint}
      data-testid="pcap-download"
      data-offer="ready"
    >
      <DownloadIcon /> {t.wire.download}
      {offer.bytes !== undefined && (
        <>
          {' '}
          <span className={styles.size}>{formatBytes(offer.bytes)}</span>
        </>
      )}
    </a>
  );
}

function DownloadIcon() {
  return (
    <svg width="13" height="13" viewBox="0 0 16 16" aria-hidden="true">
      <path
        d="M8 2v8m0 0L4.5 6.5M8 10l3.5-3.5M2.5 12.5v1h11v-1"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
