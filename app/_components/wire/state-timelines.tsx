'use client';

import { useMemo } from 'react';
import type { CSSProperties } from 'react';
import { endpointLabel } from '../../../lib/client/wire/endpoints.ts';
import type { Endpoint, OwnerLabeler } from '../../../lib/client/wire/endpoints.ts';
import { formatTime } from '../../../lib/client/wire/format.ts';
import { connectionTimelines, stateAfter } from '../../../lib/client/wire/state-timeline.ts';
import type { ConnectionTimeline } from '../../../lib/client/wire/state-timeline.ts';
import { scrollRegion, useOverflows } from '../use-overflows.ts';
import { useUiText } from '../ui-text-context.tsx';
import type { WireViewProps } from './view-props.ts';
import styles from './state-timelines.module.css';

/**
 * Each TCP connection's socket states over time, one row per endpoint and one column per packet
 * that changed a state, so the handshake's SYN_SENT → ESTABLISHED and the teardown's
 * FIN_WAIT → TIME_WAIT read left to right. A real table: its headers name the packet and the
 * endpoint of every cell.
 */
export function StateTimelines({ snapshot, conn, labelOf }: WireViewProps) {
  const t = useUiText();
  const [list, scrolls] = useOverflows<HTMLDivElement>();
  const timelines = useMemo(
    () =>
      connectionTimelines(snapshot.packets).filter(
        (timeline) => conn === null || timeline.conn === conn,
      ),
    [snapshot, conn],
  );
  if (timelines.length === 0) return <p className={styles.empty}>{t.wire.statesEmpty}</p>;
  return (
    <div
      ref={list}
      className={styles.list}
      data-testid="state-timelines"
      {...scrollRegion(scrolls, t.wire.states)}
    >
      {timelines.map((timeline) => (
        <StateTimeline key={timeline.conn} timeline={timeline} labelOf={labelOf} />
      ))}
    </div>
  );
}

function StateTimeline({
  timeline,
  labelOf,
}: {
  timeline: ConnectionTimeline;
  labelOf: OwnerLabeler;
}) {
  const t = useUiText();
  const [box, scrolls] = useOverflows<HTMLDivElement>();
  const name = (end: Endpoint) => endpointLabel(end, labelOf).label;
  const last = timeline.steps.length - 1;
  const waiting = (['a', 'b'] as const).filter(
    (end) => stateAfter(timeline, end, last) === 'TIME_WAIT',
  );
  const inferred = timeline.initial.a !== null || timeline.initial.b !== null;
  return (
    <figure className={styles.timeline} data-conn={timeline.conn}>
      <figcaption className={styles.caption}>
        <span className={styles.conn}>{t.wire.connectionTag(timeline.conn)}</span>
        <EndpointName endpoint={timeline.a} labelOf={labelOf} />
        <span aria-hidden="true">⇄</span>
        <EndpointName endpoint={timeline.b} labelOf={labelOf} />
      </figcaption>
      <div
        ref={box}
        className={styles.scroll}
        {...scrollRegion(scrolls, t.wire.statesCaption(timeline.conn))}
      >
        <table className={styles.table}>
          <caption className="visually-hidden">{t.wire.statesCaption(timeline.conn)}</caption>
          <thead>
            <tr>
              <td />
              <th scope="col" className={styles.step}>
                <span className={styles.stepFlags}>{t.wire.statesBefore}</span>
              </th>
              {timeline.steps.map((step) => (
                <th key={step.n} scope="col" className={styles.step}>
                  <span className={styles.stepFlags}>
                    #{step.n} {step.flags}{' '}
                    <span aria-hidden="true">{step.sender === 'a' ? '↓' : '↑'}</span>
                    <span className="visually-hidden">
                      {t.wire.sentBy(name(step.sender === 'a' ? timeline.a : timeline.b))}
                    </span>
                  </span>
                  <span className={styles.stepTime}>{formatTime(step.t)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(['a', 'b'] as const).map((end) => (
              <tr key={end}>
                <th scope="row" className={styles.endpoint}>
                  <EndpointName endpoint={timeline[end]} labelOf={labelOf} />
                </th>
                <StateCell state={timeline.initial[end]} previous={null} entered inferred />
                {timeline.steps.map((step, i) => (
                  <StateCell
                    key={step.n}
                    state={step[end] ?? stateAfter(timeline, end, i)}
                    previous={stateAfter(timeline, end, i - 1)}
                    entered={step[end] !== null}
                  />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {inferred && <p className={styles.note}>* {t.wire.inferred}</p>}
      {waiting.map((end) => (
        <p key={end} className={`${styles.note} ${styles.timeWait}`}>
          {t.wire.timeWaitNote(name(timeline[end]))}
        </p>
      ))}
    </figure>
  );
}

/** A cell of an endpoint's row: the state it entered here, or the line of the state it stays in. */
function StateCell({
  state,
  previous,
  entered,
  inferred = false,
}: {
  state: string | null;
  /** The state before this column, whose line runs into an entered state's pill. */
  previous: string | null;
  entered: boolean;
  inferred?: boolean;
}) {
  const t = useUiText();
  if (state === null) return <td className={styles.cell} />;
  const tracks = {
    '--track': track(state),
    '--previous': entered ? track(previous) : track(state),
  } as CSSProperties;
  return (
    <td className={styles.cell} data-state={state} style={tracks}>
      {entered ? (
        <span className={styles.pill} data-state={state}>
          {state}
          {inferred && <span aria-hidden="true">*</span>}
        </span>
      ) : (
        <span className="visually-hidden">{t.wire.stillIn(state)}</span>
      )}
    </td>
  );
}

/** The colour of the line an endpoint's row draws while it is in `state` (none when closed). */
function track(state: string | null): string {
  switch (state) {
    case 'SYN_SENT':
    case 'SYN_RECEIVED':
      return 'var(--wire-opening-fg)';
    case 'ESTABLISHED':
      return 'var(--wire-established-fg)';
    case 'TIME_WAIT':
      return 'var(--wire-timewait-fg)';
    case 'FIN_WAIT_1':
    case 'FIN_WAIT_2':
    case 'CLOSE_WAIT':
    case 'CLOSING':
    case 'LAST_ACK':
      return 'var(--wire-closing-fg)';
    case 'LISTEN':
      return 'var(--wire-lifeline)';
    default:
      return 'transparent';
  }
}

function EndpointName({ endpoint, labelOf }: { endpoint: Endpoint; labelOf: OwnerLabeler }) {
  const { label, detail } = endpointLabel(endpoint, labelOf);
  return (
    <span className={styles.name}>
      <span className={styles.owner}>{label}</span>
      {detail && <span className={styles.address}>{detail}</span>}
    </span>
  );
}
