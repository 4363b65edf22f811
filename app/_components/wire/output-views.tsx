'use client';

import { useCallback, useEffect, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { RunState } from '../../../lib/client/run-state.ts';
import { defaultOwnerLabel } from '../../../lib/client/wire/endpoints.ts';
import type { OwnerLabeler } from '../../../lib/client/wire/endpoints.ts';
import type { PacketLog } from '../../../lib/client/wire/packet-log.ts';
import { useUiText } from '../ui-text-context.tsx';
import { publishCurrentRun } from './current-run.ts';
import type { DownloadOffer } from './wire-panel.tsx';
import tabStyles from './tabs.module.css';
import styles from './output-views.module.css';

/** Which part of the output panel shows. */
export type OutputView = 'terminals' | 'network';

/** `Terminals | Network (n)`: switches the output panel between the terminals and the wire. */
export function OutputTabs({
  view,
  onChange,
  packets,
}: {
  view: OutputView;
  onChange: (view: OutputView) => void;
  packets: number;
}) {
  const t = useUiText();
  const tab = (name: OutputView, children: ReactNode) => (
    <button
      type="button"
      role="tab"
      aria-selected={view === name}
      tabIndex={view === name ? 0 : -1}
      className={`${tabStyles.tab} ${styles.tab}`}
      data-view={name}
      onClick={() => onChange(name)}
      onKeyDown={(event) => {
        if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
        const other = name === 'terminals' ? 'network' : 'terminals';
        onChange(other);
        event.currentTarget.parentElement
          ?.querySelector<HTMLElement>(`[data-view="${other}"]`)
          ?.focus();
      }}
    >
      {children}
    </button>
  );
  return (
    <div role="tablist" aria-label={t.wire.outputViews} className={styles.tabs}>
      {tab('terminals', t.wire.terminalsTab)}
      {tab(
        'network',
        <>
          {t.wire.networkTab}
          {packets > 0 && (
            <span className={styles.badge} data-testid="network-count">
              {packets.toLocaleString('en')}
            </span>
          )}
        </>,
      )}
    </div>
  );
}

/**
 * Names the run's processes as run-started labelled them, and publishes the run for the
 * `<SequenceDiagram />` a lesson's prose embeds.
 */
export function useRunWire(
  run: RunState,
  packets: PacketLog,
  download: DownloadOffer,
): { labelOf: OwnerLabeler; notice: string | null } {
  const labels = useMemo(
    () => new Map(run.processes.map((p) => [p.name, p.label])),
    [run.processes],
  );
  const labelOf = useCallback(
    (owner: string) => labels.get(owner) ?? defaultOwnerLabel(owner),
    [labels],
  );
  const t = useUiText();
  const notices = [run.captureTruncated?.notice, run.faultsTruncated].flatMap((n) =>
    n ? [t.notice(n)] : [],
  );
  const notice = notices.length > 0 ? notices.join(' ') : null;
  const finished = run.phase === 'finished';
  useEffect(() => {
    publishCurrentRun({ packets, labels, notice, finished, download });
  }, [packets, labels, notice, finished, download]);
  useEffect(() => () => publishCurrentRun(null), []);
  return { labelOf, notice };
}
