'use client';

import { useParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { captureFileName, captureUrl } from '../../../lib/client/wire/capture-file.ts';
import { applyOwners } from '../../../lib/client/wire/connections.ts';
import { defaultOwnerLabel } from '../../../lib/client/wire/endpoints.ts';
import type { PacketSnapshot } from '../../../lib/client/wire/packet-log.ts';
import { parsePcap } from '../../../lib/packets/parse-pcap.ts';
import { useUiText } from '../ui-text-context.tsx';
import { useCurrentRun } from './current-run.ts';
import { usePacketSnapshot } from './use-packet-snapshot.ts';
import { WirePanel } from './wire-panel.tsx';
import type { WireView } from './wire-panel.tsx';
import styles from './embedded-diagram.module.css';

/** Props of `<SequenceDiagram>` in lesson MDX. */
export interface SequenceDiagramProps {
  /** A recorded capture in the lesson folder (`./handshake.pcap`); without it, the current run. */
  capture?: string;
  /** Names for the ports of a recording, by port or `addr:port`: `{ "5000": "server.py" }`. */
  labels?: Record<string, string>;
  /** The view shown first: `diagram` (default), `timeline`, `states` or `table`. */
  view?: WireView;
  /** Show only this connection at first (the filter stays available). */
  conn?: number;
  /** Height of the figure in pixels (default 380). */
  height?: number;
  /** A caption under the figure. */
  caption?: string;
}

/**
 * `<SequenceDiagram />` for lesson MDX: the current run's packets as they arrive, or, with
 * `capture`, a recording shipped in the lesson folder (fetched from the lesson's captures route
 * and parsed by lib/packets in the browser), readable before the learner runs anything.
 */
export function SequenceDiagram(props: SequenceDiagramProps) {
  const height = props.height ?? 380;
  return (
    <figure className={styles.figure} data-testid="embedded-diagram">
      <div className={styles.frame} style={{ height }}>
        {props.capture === undefined ? <RunCapture {...props} /> : <RecordedCapture {...props} />}
      </div>
      {props.caption && <figcaption className={styles.caption}>{props.caption}</figcaption>}
    </figure>
  );
}

function RunCapture({ view, conn }: SequenceDiagramProps) {
  const t = useUiText();
  const run = useCurrentRun();
  const snapshot = usePacketSnapshot(run?.packets ?? null);
  const labels = run?.labels;
  const labelOf = useCallback(
    (owner: string) => labels?.get(owner) ?? defaultOwnerLabel(owner),
    [labels],
  );
  return (
    <WirePanel
      snapshot={snapshot}
      labelOf={labelOf}
      follow
      notice={run?.notice ?? null}
      download={run?.download ?? null}
      emptyText={run?.finished ? t.wire.emptyFinished : t.wire.empty}
      initialView={view}
      initialConn={conn ?? null}
    />
  );
}

type Loaded =
  { status: 'loading' } | { status: 'failed' } | { status: 'ready'; snapshot: PacketSnapshot };

function RecordedCapture({ capture, labels, view, conn }: SequenceDiagramProps) {
  const t = useUiText();
  const params = useParams<{ lang?: string; slug?: string }>();
  const name = captureFileName(capture ?? '');
  const url =
    name && params.lang && params.slug ? captureUrl(params.lang, params.slug, name) : null;
  // Labels are a literal in the MDX, a new object on every render: compare them by value.
  const labelsKey = JSON.stringify(labels ?? {});
  const loaded = useRecording(url, labelsKey);
  if (loaded.status !== 'ready')
    return (
      <p
        className={styles.message}
        role={loaded.status === 'failed' ? 'alert' : undefined}
        aria-busy={loaded.status === 'loading'}
      >
        {loaded.status === 'loading' ? t.wire.loading : t.wire.loadFailed(capture ?? '')}
      </p>
    );
  return (
    <WirePanel
      snapshot={loaded.snapshot}
      labelOf={defaultOwnerLabel}
      follow={false}
      notice={null}
      download={url && name ? { href: url, fileName: name } : null}
      emptyText={t.wire.emptyFinished}
      initialView={view}
      initialConn={conn ?? null}
    />
  );
}

/** Fetches and parses a recorded capture once per URL and labels. */
function useRecording(url: string | null, labelsKey: string): Loaded {
  const [loaded, setLoaded] = useState<{ key: string; value: Loaded } | null>(null);
  const key = `${url} ${labelsKey}`;
  useEffect(() => {
    if (url === null) return;
    let cancelled = false;
    const owners = JSON.parse(labelsKey) as Record<string, string>;
    fetch(url)
      .then((response) => (response.ok ? response.arrayBuffer() : Promise.reject(response.status)))
      .then((bytes) => {
        const { packets } = parsePcap(new Uint8Array(bytes));
        const snapshot = { packets: applyOwners(packets, owners), version: 1, faults: 0 };
        if (!cancelled) setLoaded({ key, value: { status: 'ready', snapshot } });
      })
      .catch(() => {
        if (!cancelled) setLoaded({ key, value: { status: 'failed' } });
      });
    return () => {
      cancelled = true;
    };
  }, [url, labelsKey, key]);
  if (url === null) return { status: 'failed' };
  return loaded?.key === key ? loaded.value : { status: 'loading' };
}
