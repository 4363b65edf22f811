'use client';

import { useEffect, useState, type KeyboardEvent } from 'react';
import {
  applyDelta,
  cellStuck,
  learnerIdle,
  learnerStuck,
  type CellDelta,
  type DashboardCell,
  type DashboardLearner,
  type DashboardSnapshot,
} from '../../../../../../lib/classroom/dashboard-state.ts';
import type { Lang } from '../../../../../../lib/protocol.ts';
import { uiText } from '../../../../../_i18n/ui-text.ts';
import styles from './dashboard.module.css';

type Connection = 'connecting' | 'live' | 'reconnecting';

/** The grid, kept current by the class's event stream (a snapshot, then cell deltas). */
function useLiveSnapshot(classId: string, initial: DashboardSnapshot) {
  const [state, setState] = useState(initial);
  const [connection, setConnection] = useState<Connection>('connecting');
  useEffect(() => {
    const source = new EventSource(`/api/teach/classes/${classId}/events`);
    source.addEventListener('open', () => setConnection('live'));
    source.addEventListener('error', () => setConnection('reconnecting'));
    source.addEventListener('snapshot', (event) => {
      setState(JSON.parse((event as MessageEvent<string>).data) as DashboardSnapshot);
      setConnection('live');
    });
    source.addEventListener('cell', (event) => {
      const delta = JSON.parse((event as MessageEvent<string>).data) as CellDelta;
      setState((current) => applyDelta(current, delta));
    });
    return () => source.close();
  }, [classId]);
  return { state, connection };
}

/** Wall-clock time, refreshed every 30 s, so idle and stuck change without a new run. */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Arrow keys move between cells' links (Tab still goes through them in reading order). */
function moveFocus(event: KeyboardEvent<HTMLTableElement>): void {
  const steps: Record<string, [number, number]> = {
    ArrowUp: [-1, 0],
    ArrowDown: [1, 0],
    ArrowLeft: [0, -1],
    ArrowRight: [0, 1],
  };
  const step = steps[event.key];
  const from = (event.target as HTMLElement).closest<HTMLElement>('[data-cell]');
  if (!step || !from) return;
  const [row, col] = from.dataset.cell!.split(',').map(Number) as [number, number];
  const target = event.currentTarget.querySelector<HTMLElement>(
    `[data-cell="${row + step[0]},${col + step[1]}"]`,
  );
  if (!target) return;
  event.preventDefault();
  target.focus();
}

/** The live roster × lessons grid of one class. */
export function DashboardGrid({
  lang,
  classId,
  initial,
  titles,
}: {
  lang: Lang;
  classId: string;
  initial: DashboardSnapshot;
  titles: Record<string, string>;
}) {
  const t = uiText(lang).dashboard;
  const { state, connection } = useLiveSnapshot(classId, initial);
  const now = useMinuteClock();
  const { thresholds } = state;
  return (
    <>
      <p role="status" className={styles.connection} data-connection={connection}>
        {connection === 'live'
          ? t.live
          : connection === 'connecting'
            ? t.connecting
            : t.reconnecting}
      </p>
      <p className={styles.legend}>
        {t.legend(thresholds.stuckFailedRuns, thresholds.stuckMinutes, thresholds.idleMinutes)}
      </p>
      {state.lessonIds.length === 0 ? (
        <p>{t.noLessons}</p>
      ) : state.learners.length === 0 ? (
        <p>{t.noLearners}</p>
      ) : (
        <div className={styles.scroller}>
          <table className={styles.grid} onKeyDown={moveFocus} data-testid="dashboard-grid">
            <caption>{t.gridCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.learner}</th>
                <th scope="col">{t.state}</th>
                {state.lessonIds.map((lessonId) => (
                  <th scope="col" key={lessonId}>
                    {titles[lessonId] ?? lessonId}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {state.learners.map((learner, row) => (
                <LearnerRow
                  key={learner.id}
                  lang={lang}
                  classId={classId}
                  learner={learner}
                  row={row}
                  lessonIds={state.lessonIds}
                  titles={titles}
                  stuck={learnerStuck(learner, now, thresholds)}
                  idle={learnerIdle(learner, now, thresholds)}
                  stuckCell={(cell) => cellStuck(cell, thresholds)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function LearnerRow({
  lang,
  classId,
  learner,
  row,
  lessonIds,
  titles,
  stuck,
  idle,
  stuckCell,
}: {
  lang: Lang;
  classId: string;
  learner: DashboardLearner;
  row: number;
  lessonIds: string[];
  titles: Record<string, string>;
  stuck: boolean;
  idle: boolean;
  stuckCell: (cell: DashboardCell | null) => boolean;
}) {
  const t = uiText(lang).dashboard;
  return (
    <tr data-learner={learner.nickname}>
      <th scope="row">{learner.nickname}</th>
      <td>
        {stuck ? (
          <span className={`${styles.badge} ${styles.badgeStuck}`}>{t.stuck}</span>
        ) : idle ? (
          <span className={`${styles.badge} ${styles.badgeIdle}`}>{t.idle}</span>
        ) : (
          <span className={styles.badge}>{t.active}</span>
        )}
      </td>
      {lessonIds.map((lessonId, col) => {
        const cell = learner.cells[col] ?? null;
        const status = t.status[cell?.status ?? 'none']!;
        const isStuck = stuckCell(cell);
        const tone = isStuck ? styles.stuckCell : styles[cell?.status ?? 'none'];
        return (
          <td key={lessonId} data-lesson={lessonId} data-status={cell?.status ?? 'none'}>
            <a
              className={`${styles.cell} ${tone}`}
              href={`/${lang}/teach/classes/${classId}/dashboard/${learner.id}/${encodeURIComponent(lessonId)}`}
              data-cell={`${row},${col}`}
            >
              {/* Out of the table (a links list), the link still says whose cell it is. */}
              <span className="visually-hidden">
                {t.cellContext(learner.nickname, titles[lessonId] ?? lessonId)}
              </span>
              {status} {cell && <span className={styles.count}>{t.attempts(cell.attempts)}</span>}{' '}
              {isStuck && <span className={styles.count}>{t.stuck}</span>}
            </a>
          </td>
        );
      })}
    </tr>
  );
}
